package org.slapgrid.slap.model;

/** {@code POST /api/v1/clusters/{name}/switch}: {@code member} takes the primary (active) role. */
public record ClusterSwitch(String member) {
}
