package org.slapgrid.node.instance;

import java.time.Duration;

import org.slapgrid.slap.model.InstanceState;

/**
 * What one reconcile of a partition did, and what its caller does next: report {@code state}
 * with {@code message} to the master (once: {@link ReportSender} drops a report the master
 * already has), and look at the partition again after {@code requeueAfter} (null: only on the
 * next event; after a failure the caller's per-partition backoff decides).
 */
public record Reconciled(PartitionOutcome outcome, InstanceState state, String message, Duration requeueAfter) {

    public Reconciled(PartitionOutcome outcome, InstanceState state, String message) {
        this(outcome, state, message, null);
    }

    public static Reconciled failed(String partition, String detail, String message) {
        return new Reconciled(new PartitionOutcome(partition, PartitionOutcome.Kind.FAILED, detail), InstanceState.ERROR, message);
    }

    /** A failure or a broken promise: the partition is retried with backoff. */
    public boolean failed() {
        return outcome.kind() == PartitionOutcome.Kind.FAILED || outcome.kind() == PartitionOutcome.Kind.PROMISE_BROKEN;
    }

    public Reconciled requeueAfter(Duration after) {
        return new Reconciled(outcome, state, message, after);
    }
}
