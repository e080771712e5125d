package org.slapgrid.slap.model;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/clusters}: a new cluster of {@code softwareUrl}. {@code parameters} go to
 * every member (a role's own parameters win); topology defaults to {@code flex}. A flex
 * cluster's {@code flexMin} (default 1: below it, members up, its status is warn), {@code flexMax}
 * (default 0: no bound but the roles'), {@code flexPrimary} (a member, default the first placed);
 * {@code primaryLostAfterSeconds} (default 60): how long the primary's node may be silent before
 * the next member takes the role (docs/tags.md).
 */
public record ClusterRequest(String name, String softwareUrl, ClusterTopology topology, Map<String, Object> parameters,
                             List<ClusterRole> roles, Integer flexMin, Integer flexMax, String flexPrimary,
                             Integer primaryLostAfterSeconds) {

    /** Without flex settings: their defaults. */
    public ClusterRequest(String name, String softwareUrl, ClusterTopology topology, Map<String, Object> parameters,
                          List<ClusterRole> roles) {
        this(name, softwareUrl, topology, parameters, roles, null, null, null, null);
    }
}
