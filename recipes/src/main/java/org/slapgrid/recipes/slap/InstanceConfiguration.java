package org.slapgrid.recipes.slap;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the node knows about the instance of a partition.
 *
 * @param nodeId             the node (SlapOS: computer) id, e.g. {@code COMP-1}
 * @param partitionId        the partition id, e.g. {@code slappart3}
 * @param softwareReleaseUrl the URL of the software release the instance runs
 * @param softwareType       the software type requested (e.g. {@code default})
 * @param requestedState     {@code started}, {@code stopped} or {@code destroyed}
 * @param parameters         the instance parameters as JSON values (String, Number, Boolean,
 *                           List, Map or null)
 * @param ipv4               the partition's IPv4 addresses
 * @param ipv6               the partition's IPv6 addresses
 * @param instanceTitle      the instance's title
 * @param rootInstanceTitle  the title of the root of its instance tree
 * @param instanceGuid       the instance's id at the master (may be empty)
 * @param sharedInstances    the shared instances ("slaves") hosted here, each a parameter map
 *                           that includes {@code slave_reference}
 * @param cluster            for a member of a cluster, what the master says of it (keys
 *                           {@code cluster}, {@code topology}, {@code role}, {@code index},
 *                           {@code primary}, {@code members}); empty otherwise
 */
public record InstanceConfiguration(
        String nodeId,
        String partitionId,
        String softwareReleaseUrl,
        String softwareType,
        String requestedState,
        Map<String, Object> parameters,
        List<String> ipv4,
        List<String> ipv6,
        String instanceTitle,
        String rootInstanceTitle,
        String instanceGuid,
        List<Map<String, Object>> sharedInstances,
        Map<String, Object> cluster) {

    /** An instance in no cluster. */
    public InstanceConfiguration(String nodeId, String partitionId, String softwareReleaseUrl, String softwareType,
                                 String requestedState, Map<String, Object> parameters, List<String> ipv4, List<String> ipv6,
                                 String instanceTitle, String rootInstanceTitle, String instanceGuid,
                                 List<Map<String, Object>> sharedInstances) {
        this(nodeId, partitionId, softwareReleaseUrl, softwareType, requestedState, parameters, ipv4, ipv6, instanceTitle,
                rootInstanceTitle, instanceGuid, sharedInstances, Map.of());
    }

    public InstanceConfiguration {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(partitionId, "partitionId");
        softwareReleaseUrl = softwareReleaseUrl == null ? "" : softwareReleaseUrl;
        softwareType = softwareType == null || softwareType.isEmpty() ? "default" : softwareType;
        requestedState = requestedState == null || requestedState.isEmpty() ? "started" : requestedState;
        // Parameters may hold JSON nulls, so no Map.copyOf here; callers get an unmodifiable view.
        parameters = parameters == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        ipv4 = ipv4 == null ? List.of() : List.copyOf(ipv4);
        ipv6 = ipv6 == null ? List.of() : List.copyOf(ipv6);
        instanceTitle = instanceTitle == null ? "" : instanceTitle;
        rootInstanceTitle = rootInstanceTitle == null ? "" : rootInstanceTitle;
        instanceGuid = instanceGuid == null ? "" : instanceGuid;
        sharedInstances = sharedInstances == null ? List.of() : List.copyOf(sharedInstances);
        cluster = cluster == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cluster));
    }
}
