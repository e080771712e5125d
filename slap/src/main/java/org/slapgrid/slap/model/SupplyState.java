package org.slapgrid.slap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a node must install a software release or remove it. */
public enum SupplyState {
    AVAILABLE, DESTROYED;

    @JsonValue
    public String json() {
        return Enums.json(this);
    }

    @JsonCreator
    public static SupplyState parse(String s) {
        return Enums.parse(SupplyState.class, s);
    }
}
