package org.slapgrid.buildout.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written option-line scan agrees with buildout's regular expression. */
class OptionScanTest {

    private static final Pattern BUILDOUT_OPTION = Pattern.compile("([^\\s{}\\[\\]=:]+\\s*[-+]?)=(.*)", Pattern.DOTALL);

    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.of("a", "b", "+", "-", "=", " ", "\t", ":", "{", "}", "[", "]", "<", "$", "#", "x y")
                .list().ofMaxSize(12).map(l -> String.join("", l));
    }

    @Property(tries = 500)
    void scanMatchesTheRegex(@ForAll("lines") String line) {
        Matcher m = BUILDOUT_OPTION.matcher(line);
        int eq = ConfigParser.optionEquals(line);
        if (m.matches()) {
            assertThat(eq).isEqualTo(m.end(1));
        } else {
            assertThat(eq).isEqualTo(-1);
        }
    }
}
