package org.slapgrid.node.supervisor.crash;

import java.time.Duration;

/**
 * At most {@code maxReports} crash reports per program per {@code window}; the crashes beyond
 * that are counted and reported as one {@link CrashSummary} when the window ends. A crash loop
 * therefore yields at most maxReports + 1 reports per window, whatever its speed.
 */
public record CrashRateLimit(int maxReports, Duration window) {
    public CrashRateLimit {
        if (maxReports < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("need maxReports >= 1 and a positive window");
        }
    }

    /** 3 reports per program per 10 minutes. */
    public static CrashRateLimit defaults() {
        return new CrashRateLimit(3, Duration.ofMinutes(10));
    }
}
