package org.slapgrid.buildout.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Words#split} gives what {@code split("\\s+")} gives, without the empty words. */
class WordsTest {

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("a", "part1", " ", "\t", "\n", "\r", "\f", "\u000B", "\u00A0", "\u2003", "\u001C", "x-y", "")
                .list().ofMaxSize(10).map(l -> String.join("", l));
    }

    @Property(tries = 1000)
    void splitsAsTheRegexDoes(@ForAll("values") String value) {
        assertThat(Words.split(value)).isEqualTo(Arrays.stream(value.split("\\s+")).filter(w -> !w.isEmpty()).toList());
    }
}
