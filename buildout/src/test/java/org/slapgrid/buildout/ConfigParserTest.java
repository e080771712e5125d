package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.config.ConfigParser;
import org.slapgrid.buildout.config.ParsedFile;
import org.slapgrid.buildout.config.RawValue;
import org.slapgrid.buildout.spi.BuildoutException;

class ConfigParserTest {

    private static Map<String, String> section(String text, String name) {
        ParsedFile f = new ConfigParser().parse(text, "t.cfg", null);
        Map<String, RawValue> s = f.sections().get(name);
        assertThat(s).as("section " + name).isNotNull();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        s.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    private static BuildoutException error(String text) {
        try {
            new ConfigParser().parse(text, "t.cfg", null);
        } catch (BuildoutException e) {
            return e;
        }
        throw new AssertionError("expected a BuildoutException");
    }

    @Test
    void splitsOnTheFirstEqualsAndHasNoInlineComments() {
        Map<String, String> s = section("[s]\na=b=c\nx = 1 ; not a comment # nor this\n", "s");
        assertThat(s).containsEntry("a", "b=c").containsEntry("x", "1 ; not a comment # nor this");
    }

    @Test
    void continuationLinesDropBlanksKeepIndentedHashesAndSkipColumnZeroComments() {
        String text = "[s]\nlist = one\n\n   two\n  # indented hash is data\n# col0 comment skipped even inside value\n\tthree\n";
        assertThat(section(text, "s")).containsEntry("list", "one\ntwo\n# indented hash is data\nthree");
    }

    @Test
    void blockValuesAreDedentedAndKeepInnerBlankLines() {
        String text = "[s]\nblock =\n    first\n\n      indented\n    last\n\n";
        assertThat(section(text, "s")).containsEntry("block", "first\n\n  indented\nlast");
    }

    @Test
    void blockValueLeadingBlankLinesAreRemoved() {
        assertThat(section("[s]\nb =\n\n\n   x\n   y\n", "s")).containsEntry("b", "x\ny");
    }

    @Test
    void aSectionGivenTwiceIsMergedAndTheLastOptionWins() {
        String text = "[buildout]\nparts = a\n[s]\nx = 1\n[buildout]\nparts = b\noffline = true\n";
        assertThat(section(text, "buildout")).containsEntry("parts", "b").containsEntry("offline", "true");
    }

    @Test
    void namesAreCaseSensitiveAndHeadersMayHaveSpacesAndComments() {
        ParsedFile f = new ConfigParser().parse("[S]\na = 1\n[   s  ] # comment\na = 2\n[weird/name.x-y] ; c\nb = 3\n", "t.cfg", null);
        assertThat(f.sections()).containsOnlyKeys("S", "s", "weird/name.x-y");
    }

    @Test
    void partDependenciesArrowBecomesAnOption() {
        assertThat(section("[s]\n=> a b\n", "s")).containsEntry("<part-dependencies>", "a b");
    }

    @Test
    void macroOptionMayBeSpelledWithASpace() {
        assertThat(section("[s]\n< = a\n", "s")).containsEntry("<", "a");
        assertThat(section("[s]\n<= a\n", "s")).containsEntry("<", "a");
    }

    @Test
    void optionNamesMayStartWithDashOrUnderscore() {
        assertThat(section("[s]\n-extends = a\n_x = 1\n", "s")).containsEntry("-extends", "a").containsEntry("_x", "1");
    }

    @Test
    void incrementsAreKeptApartAndCombinedInOneFile() {
        Map<String, String> s = section("[s]\nb    += 1\nb += 2\n  3\nc -= x\nc = y\n", "s");
        assertThat(s).containsEntry("b +", "1\n2\n3").containsEntry("c", "y").doesNotContainKey("c -");
    }

    @Test
    void everySyntaxErrorIsReportedWithItsLine() {
        BuildoutException e = error("[s]\nkey: value\nok = 1\n  [s]\nbad line\n");
        assertThat(e.kind()).isEqualTo(BuildoutException.Kind.CONFIGURATION);
        assertThat(e.location().file()).isEqualTo("t.cfg");
        assertThat(e.location().line()).isEqualTo(2);
        assertThat(e.getMessage()).contains("[line  2]: 'key: value\\n'").contains("[line  5]: 'bad line\\n'")
                .doesNotContain("line  3");
    }

    @Test
    void anIndentedOptionRightAfterAHeaderIsAnError() {
        BuildoutException e = error("[s]\n  x = 1\n");
        assertThat(e.location().line()).isEqualTo(2);
    }

    @Test
    void textBeforeAnySectionHeaderIsAnError() {
        BuildoutException e = error("\n# c\nx = 1\n[s]\n");
        assertThat(e.location().line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("no section headers");
    }

    @Test
    void aHashInsideAConditionDoesNotMatchAHeader() {
        BuildoutException e = error("[s:'#' in 'x']\n");
        assertThat(e.location().line()).isEqualTo(1);
    }

    @Test
    void conditionalSectionsAreMergedOrDropped() {
        String text = "[s]\nx = default\n[s:python3]\nx = py3\n  more\n[s:python2]\nx = py2\n  other\n[t:python2]\ny = 1\n";
        ParsedFile f = new ConfigParser().parse(text, "t.cfg", null);
        assertThat(f.sections()).containsOnlyKeys("s");
        assertThat(f.sections().get("s").get("x").value()).isEqualTo("py3\nmore");
    }

    @Test
    void conditionEscapesForHashAndSemicolon() {
        ParsedFile f = new ConfigParser().parse("[s:'\\x23' < '$' and '\\x3b' < '<']\nx = 1\n", "t.cfg", null);
        assertThat(f.sections()).containsKey("s");
    }

    @Test
    void aBadConditionNamesFileAndLine() {
        BuildoutException e = error("[s]\nx = 1\n[s:frobnicate]\nx = 2\n");
        assertThat(e.location().line()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith("t.cfg:3: ").contains("frobnicate");
    }

    @Test
    void profileBaseLocationIsReplacedAtParseTime() {
        ParsedFile f = new ConfigParser().parse("[s]\nurl = ${:_profile_base_location_}/x.in\n", "/a/b/c.cfg", "/a/b");
        assertThat(f.sections().get("s").get("url").value()).isEqualTo("/a/b/x.in");
        assertThat(f.sections().get("s").get("_profile_base_location_").value()).isEqualTo("/a/b");
        ParsedFile escaped = new ConfigParser().parse("[s]\nt = $${:_profile_base_location_} $$${:_profile_base_location_}\n", "/a/b/c.cfg", "/a/b");
        assertThat(escaped.sections().get("s").get("t").value()).isEqualTo("$${:_profile_base_location_} $$/a/b");
    }

    @Test
    void crLfLineEndingsAreAccepted() {
        assertThat(section("[s]\r\na = 1\r\n  2\r\n", "s")).containsEntry("a", "1\n2");
    }

    @Test
    void repeatedBlockIncrementsCombineWithoutEmptyLines() {
        assertThat(section("[s]\na +=\n    x\na +=\n    y\n    z\n", "s")).containsEntry("a +", "x\ny\nz");
        assertThat(section("[s]\na += x\na +=\n    y\n    z\n", "s")).containsEntry("a +", "x\ny\nz");
    }
}
