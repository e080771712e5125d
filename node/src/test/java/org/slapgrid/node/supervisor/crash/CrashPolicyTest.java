package org.slapgrid.node.supervisor.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slapgrid.node.supervisor.ProgramSpec;

class CrashPolicyTest {

    @Test
    void backoffDoublesFromOneSecondUpToFiveMinutes() {
        RestartPolicy p = RestartPolicy.defaults();
        assertThat(List.of(1, 2, 3, 4, 9, 10, 1000).stream().map(p::delayAfter).toList()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(256), Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    @Test
    void rateLimitReportsTheFirstCrashesOfAWindowThenOneSummary() {
        CrashRateLimiter limiter = new CrashRateLimiter(new CrashRateLimit(2, Duration.ofSeconds(10)));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        int reported = 0;
        for (int i = 0; i < 5; i++) {
            boolean[] r = {false};
            assertThat(limiter.onCrash(crash("slappart0_db", t0.plusSeconds(i)), r)).isEmpty();
            reported += r[0] ? 1 : 0;
        }
        assertThat(reported).isEqualTo(2);
        assertThat(limiter.expired(t0.plusSeconds(9))).isEmpty();

        List<CrashSummary> summaries = limiter.expired(t0.plusSeconds(10));
        assertThat(summaries).singleElement().satisfies(s -> {
            assertThat(s.suppressed()).isEqualTo(3);
            assertThat(s.last().at()).isEqualTo(t0.plusSeconds(4));
            assertThat(s.windowEnd()).isEqualTo(t0.plusSeconds(10));
        });
        assertThat(limiter.expired(t0.plusSeconds(20))).isEmpty();

        boolean[] r = {false};
        limiter.onCrash(crash("slappart0_db", t0.plusSeconds(30)), r);
        assertThat(r[0]).as("a new window reports again").isTrue();
    }

    @Test
    void rateLimitIsPerProgram() {
        CrashRateLimiter limiter = new CrashRateLimiter(new CrashRateLimit(1, Duration.ofSeconds(10)));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        boolean[] a = {false};
        boolean[] b = {false};
        limiter.onCrash(crash("slappart0_a", t0), a);
        limiter.onCrash(crash("slappart0_b", t0), b);
        assertThat(a[0]).isTrue();
        assertThat(b[0]).isTrue();
    }

    private static CrashReport crash(String program, Instant at) {
        return new CrashReport(program, "slappart0", "db", ProgramSpec.Kind.WATCHED, 3, "Bad exit code 3", "log",
                Duration.ZERO, Duration.ofSeconds(1), at);
    }
}
