package org.slapgrid.slap.model;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/clusters}: a new cluster of {@code softwareUrl}. {@code parameters} go to
 * every member (a role's own parameters win); topology defaults to {@code flex}.
 */
public record ClusterRequest(String name, String softwareUrl, ClusterTopology topology, Map<String, Object> parameters,
                             List<ClusterRole> roles) {
}
