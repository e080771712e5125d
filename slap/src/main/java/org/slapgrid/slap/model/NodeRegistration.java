package org.slapgrid.slap.model;

import java.util.List;

/** {@code POST /api/v1/nodes}: a new node and the partitions it already has (may be empty). */
public record NodeRegistration(String id, List<String> partitions) {
}
