package org.slapgrid.slap.model;

/** {@code POST /api/v1/clusters/{name}/promote}: make {@code member} the primary ({@code force}: even over a healthy one). */
public record ClusterPromote(String member, boolean force) {
}
