package org.slapgrid.node.supervisor.crash;

import java.time.Instant;

/**
 * The crashes of one program that the rate limit kept from being reported one by one during
 * a window: how many, and the last of them.
 */
public record CrashSummary(String program, String partitionId, int suppressed, Instant windowStart,
                           Instant windowEnd, CrashReport last) {

    public String summary() {
        return program + " crashed " + suppressed + " more time(s) between " + windowStart + " and " + windowEnd
                + "; last: " + last.summary();
    }
}
