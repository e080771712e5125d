package org.slapgrid.slap.model;

import java.util.List;

/** {@code POST /api/v1/clusters/{name}/shrink}: the members to drop, by name ({@code db.2}) or full name ({@code c/db.2}). */
public record ClusterShrink(List<String> members) {
}
