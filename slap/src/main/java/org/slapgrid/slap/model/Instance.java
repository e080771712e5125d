package org.slapgrid.slap.model;

import java.util.List;
import java.util.Map;
import org.slapgrid.slap.tags.TagRule;

/**
 * An instance as the master knows it. {@code timestamp} (microseconds) is bumped on every change
 * the node must act on: parameters, state, a bang on its tree. {@code requester} is
 * {@code user:NAME} or {@code instance:ID}; {@code root} and {@code parent} are instance ids
 * ({@code parent} null for a user's instance). {@code node} and {@code partition} are null until
 * allocated (and for a shared instance, which lives in its {@code host}'s partition).
 * {@code reportedTimestamp} is the {@code timestamp} its node last reported on (null before): the
 * node has applied the latest change when it equals {@code timestamp}. {@code cluster} is set in a
 * node's document for a member of a cluster (its peers, the primary), null otherwise.
 */
public record Instance(
        String id,
        String name,
        String requester,
        String owner,
        String root,
        String rootName,
        String parent,
        String softwareUrl,
        String softwareType,
        Map<String, Object> parameters,
        RequestedState requestedState,
        boolean shared,
        Map<String, String> filter,
        String node,
        String partition,
        String host,
        InstanceState reportedState,
        Map<String, Object> connectionParameters,
        String errorLog,
        long timestamp,
        Long reportedTimestamp,
        ClusterMembership cluster,
        List<TagRule> tagRules) {

    public Instance {
        tagRules = tagRules == null ? List.of() : List.copyOf(tagRules);
    }

    /** This instance as one member of {@code membership}. */
    public Instance withCluster(ClusterMembership membership) {
        return new Instance(id, name, requester, owner, root, rootName, parent, softwareUrl, softwareType, parameters,
                requestedState, shared, filter, node, partition, host, reportedState, connectionParameters, errorLog,
                timestamp, reportedTimestamp, membership, tagRules);
    }

    /** This instance with {@code rules} as its stops and starts by tag. */
    public Instance withTagRules(List<TagRule> rules) {
        return new Instance(id, name, requester, owner, root, rootName, parent, softwareUrl, softwareType, parameters,
                requestedState, shared, filter, node, partition, host, reportedState, connectionParameters, errorLog,
                timestamp, reportedTimestamp, cluster, rules);
    }
}
