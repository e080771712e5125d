package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slapgrid.buildout.Profiles.resolve;
import static org.slapgrid.buildout.Profiles.write;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.spi.BuildoutException;

class MacroAndSubstitutionTest {

    @TempDir
    Path dir;

    private Map<String, Map<String, String>> resolveText(String text, String... assignments) {
        return resolve(write(dir, "buildout.cfg", text), assignments);
    }

    private BuildoutException errorOf(String text) {
        Path p = write(dir, "buildout.cfg", text);
        try {
            Buildout.builder(p).build().resolveAll();
        } catch (BuildoutException e) {
            return e;
        }
        throw new AssertionError("expected an error");
    }

    // ------------------------------------------------------------------ macros

    @Test
    void macroChainsApplyIncrementsToTheMacroValues() {
        Map<String, Map<String, String>> all = resolveText("""
                [part1]
                option = a1
                  a2
                [part2]
                <= part1
                option -= a1
                option += c3 c4
                [part3]
                < = part2
                option += d2
                  c5 d1 d6
                option -= a2
                """);
        assertThat(all.get("part2")).containsEntry("option", "a2\nc3 c4").doesNotContainKey("<");
        assertThat(all.get("part3")).containsEntry("option", "c3 c4\nd2\nc5 d1 d6");
    }

    @Test
    void severalMacrosOnSeparateLinesLaterOnesWin() {
        Map<String, Map<String, String>> all = resolveText("""
                [server]
                port = 80
                host = a
                [monitored]
                port = 8080
                monitor = yes
                [s]
                <= server
                   monitored
                host = b
                """);
        assertThat(all.get("s")).containsEntry("port", "8080").containsEntry("monitor", "yes").containsEntry("host", "b");
    }

    @Test
    void selfReferencesInAMacroReferToTheUsingSection() {
        Map<String, Map<String, String>> all = resolveText("""
                [base]
                name = base
                path = /srv/${:name}/${:_buildout_section_name_}
                [user]
                <= base
                name = user
                """);
        assertThat(all.get("user")).containsEntry("path", "/srv/user/user");
        assertThat(all.get("base")).containsEntry("path", "/srv/base/base");
    }

    @Test
    void macroErrors() {
        assertThat(errorOf("[s]\n<= nothere\n").getMessage()).contains("buildout.cfg:2").contains("[s] <").contains("No section named 'nothere'");
        assertThat(errorOf("[a]\n<= b\n[b]\n<= a\n").getMessage()).contains("Infinite extending loop");
        assertThat(errorOf("[a]\n<= a b\n[b]\nx=1\n").getMessage()).contains("No section named 'a b'");
    }

    @Test
    void buildoutIsNeverExpanded() {
        Map<String, Map<String, String>> all = resolveText("[buildout]\n<= m\n[m]\nx = 1\n");
        assertThat(all.get("buildout")).containsEntry("<", "m").doesNotContainKey("x");
    }

    // ------------------------------------------------------------------ substitution

    @Test
    void substitutionsAcrossSectionsAndSelf() {
        Map<String, Map<String, String>> all = resolveText("""
                [buildout]
                parts =
                [a]
                x = ${b:y}-${:z}
                z = zed
                [b]
                y = why ${buildout:directory}
                """);
        assertThat(all.get("a")).containsEntry("x", "why " + dir + "-zed");
    }

    @Test
    void doubleDollarEscapesBecomeASingleDollar() {
        Map<String, Map<String, String>> all = resolveText("""
                [a]
                tpl = $${directory:etc} and ${:v} costs $$5
                v = 1
                plain = $$HOME
                copy = ${:tpl}
                """);
        assertThat(all.get("a")).containsEntry("tpl", "${directory:etc} and 1 costs $5")
                .containsEntry("plain", "$$HOME")              // no ${: never substituted, kept as written
                .containsEntry("copy", "${directory:etc} and 1 costs $5");   // inserted as is, not re-scanned
    }

    @Test
    void sectionNameFallbackAndLiteralDollars() {
        Map<String, Map<String, String>> all = resolveText("[a]\nn = ${:_buildout_section_name_}\nlit = $ { } ${ no close\n");
        assertThat(all.get("a")).containsEntry("n", "a").containsEntry("lit", "$ { } ${ no close");
    }

    @Test
    void aMissingSectionNamesFileLineSectionAndOption() {
        BuildoutException e = errorOf("[buildout]\nparts =\n[a]\nok = 1\nx = ${nothere:y}\n");
        assertThat(e.kind()).isEqualTo(BuildoutException.Kind.CONFIGURATION);
        assertThat(e.location().line()).isEqualTo(5);
        assertThat(e.section()).isEqualTo("a");
        assertThat(e.option()).isEqualTo("x");
        assertThat(e.getMessage()).isEqualTo(dir.resolve("buildout.cfg") + ":5: [a] x: The referenced section, 'nothere', was not defined.");
    }

    @Test
    void aMissingOptionIsAnError() {
        BuildoutException e = errorOf("[a]\nx = ${b:nope}\n[b]\ny = 1\n");
        assertThat(e.getMessage()).endsWith("buildout.cfg:2: [a] x: Referenced option does not exist: b nope");
    }

    @Test
    void cyclesAreDetected() {
        BuildoutException e = errorOf("[a]\nx = ${b:y}\n[b]\ny = ${c:z}\n[c]\nz = ${a:x}\n");
        assertThat(e.getMessage()).contains("Circular reference in substitutions").contains("a:x -> b:y -> c:z").contains("buildout.cfg:6: [c] z");
        assertThat(errorOf("[a]\nx = ${:x}\n").getMessage()).contains("Circular reference");
    }

    @Test
    void invalidSubstitutionsHaveBuildoutsMessages() {
        assertThat(errorOf("[a]\nx = ${parts}\n").getMessage()).contains("The substitution, ${parts},\ndoesn't contain a colon.");
        assertThat(errorOf("[a]\nx = ${buildout:y:z}\n").getMessage()).contains("has too many colons.");
        assertThat(errorOf("[a]\nx = ${bui$ldout:y}\n").getMessage()).contains("The section name in substitution, ${bui$ldout:y},\nhas invalid characters.");
        assertThat(errorOf("[a]\nx = ${buildout:y{z}\n").getMessage()).contains("The option name in substitution, ${buildout:y{z},\nhas invalid characters.");
    }

    @Test
    void anUnusedBrokenSectionIsOnlyCheckedWhenAccessed() {
        Path p = write(dir, "buildout.cfg", "[buildout]\nparts = ok\n[ok]\nrecipe = test.recipes:data\npath = d\n[broken]\nx = ${nothere:y}\n");
        Buildout b = Buildout.builder(p).build();
        assertThatThrownBy(b::resolveAll).isInstanceOf(BuildoutException.class);   // resolve touches every section
        assertThat(b.install().parts()).hasSize(1);                                 // install only what parts need
    }

    @Test
    void partDependenciesAreInitializedFirst() {
        Map<String, Map<String, String>> all = resolveText("[a]\n=> b\nx = 1\n[b]\ny = 2\n");
        assertThat(all.get("a")).containsEntry("<part-dependencies>", "b");
        assertThat(errorOf("[a]\n=> nope\n").getMessage()).contains("[a] <part-dependencies>: The referenced section, 'nope'");
    }

    @Test
    void longReferenceChainsResolveAndAbsurdOnesAreAConfigurationError() {
        StringBuilder b = new StringBuilder("[s0]\nv = 0\n");
        for (int i = 1; i < 300; i++) {
            b.append("[s").append(i).append("]\nv = ${s").append(i - 1).append(":v}\n");
        }
        assertThat(resolveText(b.toString()).get("s299")).containsEntry("v", "0");
        StringBuilder deep = new StringBuilder("[s0]\nv = 0\n");
        for (int i = 1; i < 20_000; i++) {
            deep.append("[s").append(i).append("]\nv = ${s").append(i - 1).append(":v}\n");
        }
        Path p = write(dir, "buildout.cfg", deep.toString());
        Buildout deepProfile = Buildout.builder(p).build();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread small = new Thread(null, () -> {   // a small stack makes the chain "absurd" cheaply
            try {
                deepProfile.resolveAll();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "small-stack", 256 * 1024);
        small.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).until(() -> !small.isAlive());
        assertThat(thrown.get()).isInstanceOf(BuildoutException.class).hasMessageContaining("nested too deeply");
        BuildoutException e = (BuildoutException) thrown.get();
        assertThat(e.exitStatus()).isEqualTo(2);
    }
}
