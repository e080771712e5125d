package org.slapgrid.node.jobs;

import java.io.IOException;
import java.time.Duration;

/**
 * One kind of partition job, by {@link #name()} (the {@code kind} the master sends). It runs in
 * the partition's reconcile step, never at the same time as that partition's buildout, and runs
 * what the partition provides only through {@link JobContext#run} (as the partition's user).
 */
public interface JobKind {

    String name();

    /** The timeout when the master gives none ({@code args.timeoutSeconds}). */
    default Duration defaultTimeout() {
        return Duration.ofMinutes(30);
    }

    JobOutcome run(JobContext ctx) throws IOException;
}
