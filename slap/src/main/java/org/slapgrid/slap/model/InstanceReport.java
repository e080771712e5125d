package org.slapgrid.slap.model;

/** A node's report on the instance of one partition; {@code log} explains an {@code error}. */
/**
 * A node's report on a partition's instance; {@code timestamp} is the instance timestamp the
 * report answers (optional: older nodes leave it out).
 */
public record InstanceReport(InstanceState state, String log, Long timestamp) {

    public InstanceReport(InstanceState state, String log) {
        this(state, log, null);
    }
}
