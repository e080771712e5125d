package org.slapgrid.slap.model;

/** A node's report on the instance of one partition; {@code log} explains an {@code error}. */
public record InstanceReport(InstanceState state, String log) {
}
