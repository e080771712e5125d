package org.slapgrid.cli.master;

import java.time.Duration;

import org.slapgrid.master.MasterConfig;
import picocli.CommandLine.Option;

/** {@code slapos master}'s limits: the default partition quota and how much of the bangs and the audit log is kept. */
final class LimitsOptions {

    @Option(names = "--partition-quota", paramLabel = "N", description = "partitions a user may hold unless the admin"
            + " set its own quota (default: ${DEFAULT-VALUE}; admins have none)", defaultValue = "100")
    long partitionQuota;

    @Option(names = "--bangs-kept", paramLabel = "N", description = "newest bangs kept per instance (default: ${DEFAULT-VALUE})",
            defaultValue = "50")
    int bangsKept;

    @Option(names = "--bang-retention-days", paramLabel = "DAYS", description = "bangs older than this are dropped"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "30")
    int bangDays;

    @Option(names = "--audit-rows-kept", paramLabel = "N", description = "newest audit rows kept (default: ${DEFAULT-VALUE})",
            defaultValue = "200000")
    long auditRows;

    @Option(names = "--audit-retention-days", paramLabel = "DAYS", description = "audit rows older than this are dropped"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "90")
    int auditDays;

    /** {@code config} with these limits; one out of range is an IllegalArgumentException naming the options. */
    MasterConfig applyTo(MasterConfig config) {
        if (partitionQuota < 0 || bangsKept < 1 || bangDays < 1 || auditRows < 1 || auditDays < 1) {
            throw new IllegalArgumentException("--partition-quota must be 0 or more; --bangs-kept, --bang-retention-days,"
                    + " --audit-rows-kept and --audit-retention-days at least 1");
        }
        return config.withLimits(config.limits().withDefaultPartitionQuota(partitionQuota)
                .withRetention(bangsKept, Duration.ofDays(bangDays), auditRows, Duration.ofDays(auditDays)));
    }
}
