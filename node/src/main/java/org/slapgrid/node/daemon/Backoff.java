package org.slapgrid.node.daemon;

import java.time.Duration;

/**
 * A capped exponential backoff, as a value: {@code first}, doubling up to {@code max}, after
 * {@code failures} consecutive failures. Each partition (and the master poll) has its own; a
 * success resets it, so one failing partition never slows another.
 */
public record Backoff(Duration first, Duration max, int failures) {

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || failures < 0) {
            throw new IllegalArgumentException("backoff: need 0 < first <= max and failures >= 0");
        }
    }

    public static Backoff of(Duration first, Duration max) {
        return new Backoff(first, max, 0);
    }

    /** How long to wait before the next attempt: zero before any failure. */
    public Duration delay() {
        if (failures == 0) {
            return Duration.ZERO;
        }
        // first * 2^(failures-1), without overflow: past 2^30 it is the cap anyway
        int shift = Math.min(failures - 1, 30);
        Duration d = first.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }

    /** After one more failure. */
    public Backoff failed() {
        return new Backoff(first, max, failures == Integer.MAX_VALUE ? failures : failures + 1);
    }

    /** After a success. */
    public Backoff reset() {
        return failures == 0 ? this : new Backoff(first, max, 0);
    }
}
