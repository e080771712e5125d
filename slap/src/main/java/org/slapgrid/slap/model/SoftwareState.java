package org.slapgrid.slap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a node reports about a software release it was supplied. */
public enum SoftwareState {
    BUILDING, AVAILABLE, ERROR, DESTROYED;

    @JsonValue
    public String json() {
        return Enums.json(this);
    }

    @JsonCreator
    public static SoftwareState parse(String s) {
        return Enums.parse(SoftwareState.class, s);
    }
}
