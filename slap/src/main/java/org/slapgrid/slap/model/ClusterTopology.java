package org.slapgrid.slap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How a cluster's members relate: {@code flex} (every member up, no primary) or {@code failover} (one primary, the others replicas). */
public enum ClusterTopology {
    FLEX, FAILOVER;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static ClusterTopology parse(String s) {
        return Enums.parse(ClusterTopology.class, s);
    }
}
