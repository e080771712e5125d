package org.slapgrid.slap.model;

import java.util.Map;

/**
 * A member type of a cluster: its software type, its parameters (over the cluster's), how many
 * members it wants ({@code count}) and the bounds that grow and shrink keep ({@code min}, {@code max}).
 * In a request, null fields take their defaults: type {@code default}, count 1, min 1, max = count.
 */
public record ClusterRole(String name, String softwareType, Map<String, Object> parameters, Integer count, Integer min,
                          Integer max) {
}
