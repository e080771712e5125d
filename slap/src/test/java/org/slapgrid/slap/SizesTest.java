package org.slapgrid.slap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one reader of sizes: slapos.cfg's (percentages of a whole) and the master's requests' (none). */
class SizesTest {
    @Test
    void binarySuffixesAndPercentages() {
        assertThat(Sizes.parse("0", 100)).isZero();
        assertThat(Sizes.parse("900", 0)).isEqualTo(900);
        assertThat(Sizes.parse("512K", 0)).isEqualTo(512L << 10);
        assertThat(Sizes.parse("512MiB", 0)).isEqualTo(512L << 20);
        assertThat(Sizes.parse("1.5g", 0)).isEqualTo(3L << 29);
        assertThat(Sizes.parse("1T", 0)).isEqualTo(1L << 40);
        assertThat(Sizes.parse("50%", 2000)).isEqualTo(1000);
        assertThatThrownBy(() -> Sizes.parse("150%", 2000)).hasMessageContaining("at most 100%");
        assertThatThrownBy(() -> Sizes.parse("2X", 0)).hasMessage("expected a size such as 0, 512M, 2G or 50%, got '2X'");
        assertThatThrownBy(() -> Sizes.parse("9999999999T", 0)).hasMessageContaining("too large");
    }

    @Test
    void withoutAWholeAPercentageIsRefused() {
        assertThat(Sizes.parse("2G")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> Sizes.parse("50%")).hasMessage("expected a size such as 512M or 2G, got '50%'");
        assertThatThrownBy(() -> Sizes.parse("lots")).hasMessage("expected a size such as 512M or 2G, got 'lots'");
    }

    @Test
    void formatsInBinaryUnits() {
        assertThat(Sizes.format(900)).isEqualTo("900 B");
        assertThat(Sizes.format(512L << 20)).isEqualTo("512.0 MiB");
        assertThat(Sizes.format(3L << 29)).isEqualTo("1.5 GiB");
    }
}
