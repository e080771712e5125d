package org.slapgrid.slap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a node reports about the instance in one of its partitions. */
public enum InstanceState {
    STARTED, STOPPED, DESTROYED, ERROR;

    @JsonValue
    public String json() {
        return Enums.json(this);
    }

    @JsonCreator
    public static InstanceState parse(String s) {
        return Enums.parse(InstanceState.class, s);
    }
}
