package org.slapgrid.recipes.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.testing.FakeBuildoutCase;

class TemplateRecipesTest extends FakeBuildoutCase {

    @BeforeEach
    void site() {
        buildout.section("site", "name", "world", "port", "8080");
    }

    private static void age(Path file) throws Exception {
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000L));
    }

    @Test
    void templateSubstitutesReferencesAndKeepsDoubleDollarForLaterBuildout() throws Exception {
        Files.writeString(dir.resolve("tpl.in"), "hello ${site:name} on ${:port}\nkeep $${site:name} and $HOME\n");
        buildout.section("t", "recipe", "slapos.recipe.template", "url", "tpl.in", "output", "${buildout:directory}/out.cfg",
                "port", "99", "mode", "640");
        assertThat(buildout.install("t")).containsExactly(dir.resolve("out.cfg"));
        assertThat(Files.readString(dir.resolve("out.cfg"))).isEqualTo("hello world on 99\nkeep ${site:name} and $HOME\n");
        assertThat(Modes.get(dir.resolve("out.cfg"))).isEqualTo(0640);
    }

    @Test
    void collectiveRecipeTemplateReadsInput() throws Exception {
        Files.writeString(dir.resolve("c.in"), "port ${site:port}\n");
        buildout.section("c", "recipe", "collective.recipe.template", "input", "c.in", "output", "c.out");
        buildout.install("c");
        assertThat(dir.resolve("c.out")).hasContent("port 8080");
        buildout.section("d", "recipe", "collective.recipe.template", "input", "none.in", "output", "d.out");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] input");
    }

    @Test
    void updateWithSameOptionsRewritesNothingAndChangedOptionsRewrite() throws Exception {
        buildout.section("t", "recipe", "slapos.recipe.template", "inline", "\n#!/bin/sh\necho ${site:name}\n", "output", "run");
        buildout.install("t");
        Path out = dir.resolve("run");
        assertThat(Files.readString(out)).isEqualTo("#!/bin/sh\necho world\n");
        assertThat(Modes.get(out)).as("a shebang to an executable makes it executable").isEqualTo(0755);
        age(out);
        assertThat(buildout.update("t")).isEmpty();
        assertThat(Files.getLastModifiedTime(out).toMillis()).isEqualTo(1_000_000_000L);

        buildout.section("site").put("name", "moon");
        buildout.update("t");
        assertThat(Files.readString(out)).isEqualTo("#!/bin/sh\necho moon\n");
    }

    @Test
    void md5sumPinsTheOutputOnUpdateAndRejectsAWrongTemplate() throws Exception {
        Files.writeString(dir.resolve("tpl.in"), "x\n");
        buildout.section("t", "recipe", "slapos.recipe.template", "url", "tpl.in", "output", "o",
                "md5sum", "401b30e3b8b5d629635a5c613cdb7919");
        buildout.install("t");
        Files.writeString(dir.resolve("o"), "edited by hand");
        buildout.update("t");
        assertThat(Files.readString(dir.resolve("o"))).isEqualTo("edited by hand");

        Files.writeString(dir.resolve("tpl.in"), "changed\n");
        assertThatThrownBy(() -> buildout.create("t"))
                .isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[t] md5sum").hasMessageContaining("checksum mismatch for tpl.in");
    }

    @Test
    void templateBadInputsNameSectionAndOption() throws Exception {
        buildout.section("noout", "recipe", "slapos.recipe.template", "inline", "x");
        assertThatThrownBy(() -> buildout.create("noout")).hasMessageContaining("[noout] output")
                .hasMessageContaining("missing mandatory option");
        buildout.section("both", "recipe", "slapos.recipe.template", "inline", "x", "url", "y", "output", "o");
        assertThatThrownBy(() -> buildout.create("both")).hasMessageContaining("[both]").hasMessageContaining("only one of");
        buildout.section("mode", "recipe", "slapos.recipe.template", "inline", "x", "output", "o", "mode", "rwx");
        assertThatThrownBy(() -> buildout.create("mode")).hasMessageContaining("[mode] mode").hasMessageContaining("octal");
        Files.writeString(dir.resolve("bad.in"), "line1\n${nosuch:x}\n");
        buildout.section("ref", "recipe", "slapos.recipe.template", "url", "bad.in", "output", "o");
        assertThatThrownBy(() -> buildout.create("ref")).hasMessageContaining("bad.in:2").hasMessageContaining("[nosuch]");
        buildout.section("missing", "recipe", "slapos.recipe.template", "url", "nofile.in", "output", "o");
        assertThatThrownBy(() -> buildout.create("missing")).hasMessageContaining("[missing] url").hasMessageContaining("not found");
    }

    @Test
    void jinja2RendersEveryContextKind() throws Exception {
        buildout.section("conf").putObject("configuration", Map.of("ram", 1024, "disks", List.of("a", "b")));
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2",
                "inline", "{{ title }} {{ params.ram }} {% for d in params.disks %}{{ d }}{% endfor %} "
                        + "{{ site.name }}:{{ site.port }} {{ data.k }} {{ json_module.dumps(data) }} {{ own }} "
                        + "$${keep:this}{% do data.update({'z': 1}) %}{{ data.z }}",
                "context", "raw title Hello there\nkey params conf:configuration\nsection site site\n"
                        + "json data {\"k\": [1, 2]}\nimport json_module json\nkey own :extra",
                "extra", "mine",
                "extensions", "jinja2.ext.do",
                "output", "j.txt");
        buildout.install("j");
        assertThat(Files.readString(dir.resolve("j.txt")))
                .isEqualTo("Hello there 1024 ab world:8080 [1, 2] {\"k\": [1, 2]} mine ${keep:this}1");
    }

    @Test
    void jinja2ImportListAndIdempotentUpdate() throws Exception {
        Files.createDirectories(dir.resolve("macros"));
        Files.writeString(dir.resolve("macros/m.j2"), "{% macro hi(x) %}hi {{ x }}{% endmacro %}");
        Files.writeString(dir.resolve("tpl.j2"), "{% from \"lib/m.j2\" import hi %}{{ hi('you') }}\n");
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2", "url", "tpl.j2", "output", "o",
                "import-list", "rawfolder lib " + dir.resolve("macros"));
        assertThat(buildout.install("j")).containsExactly(dir.resolve("o"));
        assertThat(Files.readString(dir.resolve("o"))).startsWith("hi you");
        age(dir.resolve("o"));
        buildout.update("j");
        assertThat(Files.getLastModifiedTime(dir.resolve("o")).toMillis()).isEqualTo(1_000_000_000L);
    }

    @Test
    void jinja2DictsSupportPythonIdiomsOfSlapOSTemplates() throws Exception {
        buildout.section("conf").putObject("configuration", Map.of("ram", 1024, "sub", Map.of("y", "z")));
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2",
                "inline", "{{ p.get('ram', 1) }} {{ p.get('cpu', 2) }} {{ p.get('sub', {}).get('y', 'n') }} "
                        + "{{ p.setdefault('disk', 10) }} {{ p.disk }} {{ 'ram' in p }} {{ p | tojson }}",
                "context", "key p conf:configuration", "output", "o");
        buildout.install("j");
        assertThat(dir.resolve("o")).hasContent("1024 2 z 10 10 True {\"disk\": 10, \"ram\": 1024, \"sub\": {\"y\": \"z\"}}");
    }

    @Test
    void jinja2RendersStructuresAsPythonRepr() throws Exception {
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2", "inline", "{{ d }} {{ d.l }}",
                "context", "json d {\"b\": true, \"a\": [\"x\", 1, null], \"l\": [\"it's\"]}", "output", "o");
        buildout.install("j");
        assertThat(dir.resolve("o")).hasContent("{'b': True, 'a': ['x', 1, None], 'l': [\"it's\"]} [\"it's\"]");
    }

    @Test
    void jinja2FollowsChangedContextValues() throws Exception {
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2", "inline", "port={{ port }}",
                "context", "key port site:port", "output", "o");
        buildout.install("j");
        assertThat(dir.resolve("o")).hasContent("port=8080");
        buildout.section("site").put("port", "9090");
        buildout.update("j");
        assertThat(dir.resolve("o")).hasContent("port=9090");
        buildout.section("site").put("port", "8080");
        buildout.update("j");
        assertThat(dir.resolve("o")).hasContent("port=8080");
    }

    @Test
    void jinja2OnceMarkerSkipsRendering() throws Exception {
        Files.writeString(dir.resolve("done"), "");
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2", "inline", "{{ undefined_thing }}",
                "output", "o", "once", "done");
        assertThat(buildout.install("j")).isEmpty();
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void jinja2BadInputs() {
        buildout.section("u", "recipe", "slapos.recipe.template:jinja2", "inline", "a\n{% if %}", "output", "o");
        assertThatThrownBy(() -> buildout.create("u")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[u] inline").hasMessageContaining("line 2");
        buildout.section("c", "recipe", "slapos.recipe.template:jinja2", "inline", "x", "output", "o", "context", "bogus a b");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c] context").hasMessageContaining("bogus");
        buildout.section("k", "recipe", "slapos.recipe.template:jinja2", "inline", "x", "output", "o", "context", "key a nocolon");
        assertThatThrownBy(() -> buildout.create("k")).hasMessageContaining("[k] context").hasMessageContaining("section:option");
        buildout.section("e", "recipe", "slapos.recipe.template:jinja2", "inline", "x", "output", "o", "extensions", "jinja2.ext.i18n");
        assertThatThrownBy(() -> buildout.create("e")).hasMessageContaining("[e] extensions");
        buildout.section("s", "recipe", "slapos.recipe.template:jinja2", "inline", "{% for %}", "output", "o");
        assertThatThrownBy(() -> buildout.create("s")).isInstanceOf(BuildoutException.class).hasMessageContaining("[s]");
    }

    @Test
    void jinja2ErrorsNameTemplateLineAndConstruct() throws Exception {
        Files.writeString(dir.resolve("tpl.j2"), "[s]\nport = {{ slapparameter_dict['port'] }}\n{{ missing }}\n");
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2", "url", "tpl.j2", "output", "o",
                "context", "json slapparameter_dict {\"port\": 80}");
        assertThatThrownBy(() -> buildout.create("j")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("tpl.j2:3").hasMessageContaining("UndefinedError: 'missing' is undefined")
                .hasMessageContaining("(in {{ missing }})");
        buildout.section("i", "recipe", "slapos.recipe.template:jinja2", "inline", "ok\n{% for x in 1 %}{% endfor %}",
                "output", "o");
        assertThatThrownBy(() -> buildout.create("i")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[i] inline").hasMessageContaining("line 2")
                .hasMessageContaining("TypeError: 'int' object is not iterable (in {% for %})");
        Files.writeString(dir.resolve("lib.j2"), "{% macro m() %}\n{{ 1 + 'a' }}{% endmacro %}\n");
        buildout.section("m", "recipe", "slapos.recipe.template:jinja2", "inline", "{% import 'lib' as lib %}{{ lib.m() }}",
                "import-list", "rawfile lib " + dir.resolve("lib.j2"), "output", "o");
        assertThatThrownBy(() -> buildout.create("m")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[m] inline").hasMessageContaining("Jinja2 error in lib, line 2: TypeError")
                .hasMessageContaining("unsupported operand type(s) for +: 'int' and 'str'");
    }

    @Test
    void jinja2NeverReinterpretsValues() throws Exception {
        buildout.section("params").put("value", "{{ 7*7 }} {% if true %}x{% endif %}");
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2", "inline", "v = {{ v }}\n",
                "context", "key v params:value", "output", "o");
        buildout.install("j");
        assertThat(dir.resolve("o")).hasContent("v = {{ 7*7 }} {% if true %}x{% endif %}");
    }

    @Test
    void jinja2HasPythonBuiltinsModulesAndLoopControls() throws Exception {
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2",
                "inline", "{% for d in dirs.split() %}{% if d == 'x' %}{% break %}{% endif %}{{ d }} {% endfor %}"
                        + "{{ sorted(dirs.split()) }} {{ len(dirs) }} {{ itertools.chain([1], [2]) | list }} "
                        + "{{ dumps('plain') }} {{ dumps({'a': 1}) }}\n",
                "context", "raw dirs etc var x srv\nimport itertools itertools",
                "extensions", "jinja2.ext.do jinja2.ext.loopcontrols", "output", "o");
        buildout.install("j");
        assertThat(dir.resolve("o")).hasContent("etc var ['etc', 'srv', 'var', 'x'] 13 [1, 2] plain \\{'a': 1}");
    }

    @Test
    void jinja2KeyReadsBackWhatDumpsWrote() throws Exception {
        buildout.section("myslap").put("d", "\\{'a': [1, 'x'], 'b': None, 'c': 'it''s'}");
        buildout.section("myslap").put("plain", "/srv/path");
        buildout.section("j", "recipe", "slapos.recipe.template:jinja2",
                "inline", "{{ d['a'][1] }} {{ d.b }} {{ d.c }} {{ plain }} {{ dumps(d) }}\n",
                "context", "key d myslap:d\nkey plain myslap:plain", "output", "o");
        buildout.install("j");
        assertThat(dir.resolve("o")).hasContent("x None its /srv/path \\{'a': [1, 'x'], 'b': None, 'c': 'its'}");
    }
}
