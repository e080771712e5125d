package org.slapgrid.slap.model;

/** {@code POST /api/v1/clusters/{name}/grow}: {@code count} more members of {@code role} (default 1). */
public record ClusterGrow(String role, Integer count) {
}
