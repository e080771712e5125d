package org.slapgrid.slap.model;

import java.util.Map;

/**
 * One member of a cluster: instance {@code <cluster>/<role>.<index>}, where it runs, its state and
 * what it published. {@code address} is the partition's address when its node reported one, else null.
 */
public record ClusterMember(String name, String role, int index, String node, String partition, String address,
                            RequestedState requestedState, InstanceState reportedState,
                            Map<String, Object> connectionParameters) {
}
