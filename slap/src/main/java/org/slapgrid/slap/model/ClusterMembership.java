package org.slapgrid.slap.model;

import java.util.List;

/**
 * What a member's instance document says of its cluster (the profile renders peer lists from
 * it): the cluster, this member's role and index, the primary (null for a flex cluster) and
 * every member, itself included; {@code resources} is this member's own vertical state (limits,
 * data disks: {@link MemberResources}), null when it has none.
 */
public record ClusterMembership(String cluster, ClusterTopology topology, String role, int index, String primary,
                                List<ClusterMember> members, MemberResources resources) {

    public ClusterMembership(String cluster, ClusterTopology topology, String role, int index, String primary,
                             List<ClusterMember> members) {
        this(cluster, topology, role, index, primary, members, null);
    }
}
