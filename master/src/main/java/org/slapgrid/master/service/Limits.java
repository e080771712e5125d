package org.slapgrid.master.service;

import java.time.Duration;

/**
 * The master's bounds (docs/protocol.md "Limits", docs/security.md): what one request may carry,
 * how fast one instance may write, what one user may hold and how long history is kept. With
 * them the database of a given fleet has a bounded size (docs/benchmarks.md shows it).
 *
 * @param maxDepth              nesting of a parameter map (the map itself is level 1)
 * @param maxKeyLength          characters of one key, at any level
 * @param maxParametersBytes    an instance's parameters, encoded as JSON
 * @param maxConnectionBytes    an instance's connection parameters, encoded as JSON
 * @param maxMessageChars       characters of a bang message (a longer one keeps its end: the newest log lines)
 * @param maxLogChars           characters of the error log of a software or instance report (the end is kept)
 * @param bangRate              bangs of one instance (its own or its node's for it)
 * @param publishRate           changing publications of one instance's connection parameters
 * @param defaultPartitionQuota partitions a user without its own quota may hold (admins: no limit)
 * @param maxSharedPerUser      shared instances (they hold no partition) a user's trees may hold (admins: no limit)
 * @param maxPartitionsPerNode  partitions one node may declare
 * @param bangsPerInstance      newest bangs kept per instance
 * @param bangMaxAge            bangs older than this are dropped
 * @param auditMaxRows          newest audit rows kept
 * @param auditMaxAge           audit rows older than this are dropped
 * @param pruneInterval         how often the retention runs
 */
public record Limits(
        int maxDepth,
        int maxKeyLength,
        int maxParametersBytes,
        int maxConnectionBytes,
        int maxMessageChars,
        int maxLogChars,
        Rate bangRate,
        Rate publishRate,
        long defaultPartitionQuota,
        long maxSharedPerUser,
        int maxPartitionsPerNode,
        int bangsPerInstance,
        Duration bangMaxAge,
        long auditMaxRows,
        Duration auditMaxAge,
        Duration pruneInterval) {

    /** A token bucket: {@code burst} at once, then one more every {@code every}. */
    public record Rate(int burst, Duration every) {
    }

    public static Limits defaults() {
        return new Limits(16, 256, 128 * 1024, 64 * 1024, 8 * 1024, 64 * 1024,
                new Rate(10, Duration.ofSeconds(6)), new Rate(20, Duration.ofSeconds(3)),
                100, 1000, 1000, 50, Duration.ofDays(30), 200_000, Duration.ofDays(90), Duration.ofMinutes(1));
    }

    public Limits withRates(Rate bangs, Rate publishes) {
        return new Limits(maxDepth, maxKeyLength, maxParametersBytes, maxConnectionBytes, maxMessageChars, maxLogChars,
                bangs, publishes, defaultPartitionQuota, maxSharedPerUser, maxPartitionsPerNode,
                bangsPerInstance, bangMaxAge, auditMaxRows, auditMaxAge, pruneInterval);
    }

    public Limits withDefaultPartitionQuota(long quota) {
        return new Limits(maxDepth, maxKeyLength, maxParametersBytes, maxConnectionBytes, maxMessageChars, maxLogChars,
                bangRate, publishRate, quota, maxSharedPerUser, maxPartitionsPerNode,
                bangsPerInstance, bangMaxAge, auditMaxRows, auditMaxAge, pruneInterval);
    }

    public Limits withRetention(int bangsKept, Duration bangAge, long auditRows, Duration auditAge) {
        return new Limits(maxDepth, maxKeyLength, maxParametersBytes, maxConnectionBytes, maxMessageChars, maxLogChars,
                bangRate, publishRate, defaultPartitionQuota, maxSharedPerUser, maxPartitionsPerNode,
                bangsKept, bangAge, auditRows, auditAge, pruneInterval);
    }

    public Limits withPruneInterval(Duration every) {
        return new Limits(maxDepth, maxKeyLength, maxParametersBytes, maxConnectionBytes, maxMessageChars, maxLogChars,
                bangRate, publishRate, defaultPartitionQuota, maxSharedPerUser, maxPartitionsPerNode,
                bangsPerInstance, bangMaxAge, auditMaxRows, auditMaxAge, every);
    }

    public Limits withMaxSharedPerUser(long max) {
        return new Limits(maxDepth, maxKeyLength, maxParametersBytes, maxConnectionBytes, maxMessageChars, maxLogChars,
                bangRate, publishRate, defaultPartitionQuota, max, maxPartitionsPerNode,
                bangsPerInstance, bangMaxAge, auditMaxRows, auditMaxAge, pruneInterval);
    }
}
