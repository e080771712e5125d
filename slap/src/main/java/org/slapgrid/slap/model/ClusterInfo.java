package org.slapgrid.slap.model;

import java.util.List;

/**
 * A cluster as the master answers it. {@code members} is null in a brief list; {@code notes} says
 * what an operation could not do as wished (two members of one role sharing a node: no other node
 * had a free partition). {@code lastError} is why the last operation ended short, null if it did not.
 */
public record ClusterInfo(String name, String owner, String softwareUrl, ClusterTopology topology, String primary,
                          ClusterTask task, String lastError, List<ClusterRole> roles, List<ClusterMember> members,
                          List<String> notes) {
}
