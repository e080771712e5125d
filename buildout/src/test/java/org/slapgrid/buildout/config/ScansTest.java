package org.slapgrid.buildout.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written scans of the configuration reader agree with buildout's regular expressions. */
class ScansTest {

    private static final Pattern BUILDOUT_OPTION = Pattern.compile("([^\\s{}\\[\\]=:]+\\s*[-+]?)=(.*)", Pattern.DOTALL);
    private static final Pattern SECTION_HEADER = Pattern.compile(
            "\\[\\s*([^\\s#\\[\\]:;{}]+)\\s*(?::([^#;]*))?\\s*\\]\\s*(?:[#;].*)?");
    private static final Pattern URL = Pattern.compile("^[a-zA-Z0-9+.-]+://.*", Pattern.DOTALL);

    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.of("a", "b", "+", "-", "=", " ", "\t", ":", "{", "}", "[", "]", "<", "$", "#", "x y")
                .list().ofMaxSize(12).map(l -> String.join("", l));
    }

    /** Header-like lines: mostly starting with '[', with the characters the regex treats apart. */
    @Provide
    Arbitrary<String> headers() {
        Arbitrary<String> body = Arbitraries.of("a", "sec", "x.y", " ", "\t", "\u000B", "\u00A0", ":", "]", "[", "#", ";",
                        "{", "}", "==", "'", "(", ")", "0")
                .list().ofMaxSize(10).map(l -> String.join("", l));
        return Arbitraries.oneOf(body.map(b -> "[" + b), body);
    }

    @Provide
    Arbitrary<String> urls() {
        return Arbitraries.of("http", "a", "Z", "9", "+", ".", "-", "_", ":", "/", "//", "://", " ", "é", "x:y")
                .list().ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property(tries = 500)
    void optionScanMatchesTheRegex(@ForAll("lines") String line) {
        Matcher m = BUILDOUT_OPTION.matcher(line);
        int eq = ConfigParser.optionEquals(line);
        if (m.matches()) {
            assertThat(eq).isEqualTo(m.end(1));
        } else {
            assertThat(eq).isEqualTo(-1);
        }
    }

    @Property(tries = 3000)
    void headerScanMatchesTheRegex(@ForAll("headers") String line) {
        Matcher m = SECTION_HEADER.matcher(line);
        ConfigParser.Header h = ConfigParser.header(line);
        if (m.matches()) {
            assertThat(h).isEqualTo(new ConfigParser.Header(m.group(1), m.group(2)));
        } else {
            assertThat(h).isNull();
        }
    }

    @Example
    void headerScanCases() {
        assertThat(ConfigParser.header("[ buildout ]  # c")).isEqualTo(new ConfigParser.Header("buildout", null));
        assertThat(ConfigParser.header("[s: a[0] == 'x' ] ; c")).isEqualTo(new ConfigParser.Header("s", " a[0] == 'x' "));
        assertThat(ConfigParser.header("[s:]")).isEqualTo(new ConfigParser.Header("s", ""));
        assertThat(ConfigParser.header("[s] x")).isNull();
        assertThat(ConfigParser.header("[s: a ] x # c")).isNull();
    }

    @Property(tries = 1000)
    void urlScanMatchesTheRegex(@ForAll("urls") String s) {
        assertThat(ConfigLoader.isUrl(s)).isEqualTo(URL.matcher(s).matches());
    }
}
