package org.slapgrid.slap.model;

/** A node's report on one software release; {@code log} is the tail of the build log for {@code error}. */
public record SoftwareReport(String url, SoftwareState state, String log) {
}
