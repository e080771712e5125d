package org.slapgrid.slap.model;

import java.util.List;

/**
 * Restore a backup into a new cluster {@code name}. {@code roles} (optional) must match the
 * backup's roles and sizes; they default to them.
 */
public record ClusterRestore(String name, List<ClusterRole> roles) {
}
