package org.slapgrid.slap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a cluster's members relate (OpenSVC's topologies): {@code flex} (every member up; a flex
 * primary runs what must run once, and is handed to the next member when its node is lost) or
 * {@code failover} (one member active, the primary; the others standby).
 */
public enum ClusterTopology {
    FLEX, FAILOVER;

    @JsonValue
    public String json() {
        return Enums.json(this);
    }

    @JsonCreator
    public static ClusterTopology parse(String s) {
        return Enums.parse(ClusterTopology.class, s);
    }
}
