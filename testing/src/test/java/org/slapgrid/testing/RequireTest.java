package org.slapgrid.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequireTest {
    private static final Map<String, String> DEVELOPER = Map.of("PATH", "/usr/bin:/bin");
    private static final Map<String, String> CI = Map.of("PATH", "/usr/bin:/bin", "CI", "true");

    @Test
    void aMissingToolSkipsOnADeveloperMachineAndFailsUnderCi() {
        assertThatThrownBy(() -> Require.tools(DEVELOPER, "sh", "no-such-tool-xyz"))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no-such-tool-xyz is not installed");
        assertThatThrownBy(() -> Require.tools(CI, "sh", "no-such-tool-xyz"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true").hasMessageContaining("no-such-tool-xyz is not installed");
    }

    @Test
    void aMetNeedNeitherSkipsNorFails() {
        assertThatCode(() -> Require.tools(CI, "sh")).doesNotThrowAnyException();
        assertThatCode(() -> Require.that(true, "anything", CI)).doesNotThrowAnyException();
    }

    @Test
    void anUnmetConditionFailsUnderCiOnly() {
        assertThatThrownBy(() -> Require.that(false, "no IPv6 loopback", CI)).isInstanceOf(AssertionFailedError.class);
        assertThatThrownBy(() -> Require.that(false, "no IPv6 loopback", DEVELOPER)).isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> Require.that(false, "x", Map.of("CI", "false"))).isInstanceOf(TestAbortedException.class);
    }
}
