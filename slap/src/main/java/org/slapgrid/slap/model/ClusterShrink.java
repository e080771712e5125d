package org.slapgrid.slap.model;

import java.util.List;

/**
 * {@code POST /api/v1/clusters/{name}/shrink}: the members to drop, by name ({@code db.2}) or full
 * name ({@code c/db.2}); or {@code count} members of {@code role} chosen by the cluster's
 * deletion policy (members in error first, then its criteria).
 */
public record ClusterShrink(List<String> members, String role, Integer count) {

    public ClusterShrink(List<String> members) {
        this(members, null, null);
    }
}
