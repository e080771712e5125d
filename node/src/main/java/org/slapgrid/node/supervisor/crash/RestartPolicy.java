package org.slapgrid.node.supervisor.crash;

import java.time.Duration;

/**
 * Capped exponential backoff for restarting a crashed watched program: {@code initialDelay}
 * after the first crash, doubled after each further one, at most {@code maxDelay}; a program
 * that had been running for {@code resetAfter} or longer before it crashed starts again from
 * {@code initialDelay}. supervisord's own retries stop for good after startretries (FATAL), so
 * the node owns this policy and supervisord is configured not to restart anything itself.
 */
public record RestartPolicy(Duration initialDelay, Duration maxDelay, Duration resetAfter) {

    public RestartPolicy {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || resetAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay and resetAfter >= 0");
        }
    }

    /** 1 s doubling up to 5 min, reset after 60 s of uptime. */
    public static RestartPolicy defaults() {
        return new RestartPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(60));
    }

    /** The delay before restarting after the {@code consecutiveCrashes}-th crash in a row (from 1). */
    public Duration delayAfter(int consecutiveCrashes) {
        int doublings = Math.max(0, consecutiveCrashes - 1);
        if (doublings >= 40) {
            return maxDelay;
        }
        long millis = initialDelay.toMillis() << doublings;
        return millis >= maxDelay.toMillis() || millis < 0 ? maxDelay : Duration.ofMillis(millis);
    }
}
