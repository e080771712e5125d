package org.slapgrid.master.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (an instance id and what it does), in memory. Hand-written: the
 * buckets are a dozen lines and Bucket4j would add a dependency for them; several masters
 * sharing a database each keep their own buckets, so an instance talking to N masters gets up to
 * N times the rate (docs/security.md says so).
 */
final class RateLimiter {
    /** Beyond this many keys, full (idle) buckets are dropped: a full bucket is the same as none. */
    private static final int MAX_KEYS = 50_000;

    private final Limits.Rate rate;
    private final String what;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    RateLimiter(Limits.Rate rate, String what) {
        this.rate = rate;
        this.what = what;
    }

    /** Takes one token for {@code key}, or refuses with 429 and the seconds until the next one. */
    void acquire(String key) {
        long now = System.nanoTime();
        double perNano = 1.0 / rate.every().toNanos();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(rate.burst(), now));
        long waitNanos;
        synchronized (b) {
            b.tokens = Math.min(rate.burst(), b.tokens + (now - b.updatedNanos) * perNano);
            b.updatedNanos = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                waitNanos = -1;
            } else {
                waitNanos = (long) Math.ceil((1 - b.tokens) / perNano);
            }
        }
        if (buckets.size() > MAX_KEYS) {
            buckets.values().removeIf(x -> x.tokens + (now - x.updatedNanos) * perNano >= rate.burst());
        }
        if (waitNanos >= 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw ApiException.rateLimited(seconds, "too many " + what + " from this instance: at most " + rate.burst()
                    + " at once, then one every " + rate.every().toSeconds() + " s; retry in " + seconds + " s");
        }
    }
}
