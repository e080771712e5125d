package org.slapgrid.node.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The parameters a requester can set and the node itself obeys: documented ranges, named errors. */
class NodeParametersTest {

    @Test
    void aValueInRangeIsObeyedAndAnAbsentOrEmptyOneIsTheDefault() throws Exception {
        assertThat(new NodeParameters(Map.of("slapgrid-drain-timeout", 42)).drainTimeout()).isEqualTo(Duration.ofSeconds(42));
        assertThat(new NodeParameters(Map.of("slapgrid-drain-timeout", " 3600 ")).drainTimeout()).hasSeconds(3600);
        assertThat(new NodeParameters(Map.of("slapgrid-drain-timeout", "")).drainTimeout()).hasSeconds(300);
        assertThat(new NodeParameters(null).drainTimeout()).hasSeconds(300);
        assertThat(new NodeParameters(Map.of("other", "x")).problems()).isEmpty();
    }

    /** The values of the attack: years of drain, an overflow, and what a parser could choke on. */
    @Test
    void outOfRangeValuesAreErrorsNamingTheParameterAndItsRange() {
        for (Object bad : new Object[] {100000000, "9223372036854775807", 9223372036854775807L, "9223372036854775808",
                -1, "1e999999999", 1e300}) {
            NodeParameters p = new NodeParameters(Map.of("slapgrid-drain-timeout", bad));
            assertThatThrownBy(p::drainTimeout).as("%s", bad).isInstanceOf(NodeParameters.OutOfRange.class)
                    .hasMessageContaining("slapgrid-drain-timeout").hasMessageContaining("out of range")
                    .hasMessageContaining("from 0 to 3600");
            assertThat(p.problems()).singleElement().asString().contains("slapgrid-drain-timeout");
        }
        for (Object notANumber : new Object[] {"ten", 1.5, "12s", "x".repeat(100_000)}) {
            assertThatThrownBy(new NodeParameters(Map.of("slapgrid-drain-timeout", notANumber))::drainTimeout)
                    .isInstanceOf(NodeParameters.OutOfRange.class).hasMessageContaining("is not an integer from 0 to 3600");
        }
    }
}
