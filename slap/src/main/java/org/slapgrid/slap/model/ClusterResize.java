package org.slapgrid.slap.model;

/**
 * {@code POST /api/v1/clusters/{name}/resize}: new limits for one member; {@code memory} is a size
 * ({@code 512M}, {@code 2G}, {@code 0} for the node's default), {@code cpu} a number of CPUs
 * ({@code 0.5}; {@code 0} for the node's default). A field left out keeps its current value.
 */
public record ClusterResize(String member, String memory, Double cpu) {
}
