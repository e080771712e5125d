package org.slapgrid.slap.model;

import java.util.List;

/**
 * What a member's instance document says of its cluster (the profile renders peer lists from
 * it): the cluster, this member's role and index, the primary (null for a flex cluster) and
 * every member, itself included.
 */
public record ClusterMembership(String cluster, ClusterTopology topology, String role, int index, String primary,
                                List<ClusterMember> members) {
}
