package org.slapgrid.slap.model;

import java.util.List;

/**
 * A cluster as the master answers it. {@code members} is null in a brief list; {@code notes} says
 * what an operation could not do as wished (two members of one role sharing a node: no other node
 * had a free partition). {@code lastError} is why the last operation ended short, null if it did not.
 * {@code flexMin}, {@code flexMax}, {@code primaryLostAfterSeconds}: the topology's settings;
 * {@code status}: {@code up}, {@code warn} (a flex cluster with fewer members up than
 * {@code flexMin}, or some member not up) or {@code down} (no member up), counting a member up
 * when it reported started and its node was heard from within {@code primaryLostAfterSeconds}.
 */
public record ClusterInfo(String name, String owner, String softwareUrl, ClusterTopology topology, String primary,
                          ClusterTask task, String lastError, List<ClusterRole> roles, List<ClusterMember> members,
                          List<String> notes, Integer flexMin, Integer flexMax, Integer primaryLostAfterSeconds,
                          String status) {

    /** Without the topology's settings and status (not known to the caller). */
    public ClusterInfo(String name, String owner, String softwareUrl, ClusterTopology topology, String primary,
                       ClusterTask task, String lastError, List<ClusterRole> roles, List<ClusterMember> members,
                       List<String> notes) {
        this(name, owner, softwareUrl, topology, primary, task, lastError, roles, members, notes, null, null, null, null);
    }
}
