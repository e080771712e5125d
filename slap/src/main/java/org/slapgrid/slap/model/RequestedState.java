package org.slapgrid.slap.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a requester wants an instance to be. */
public enum RequestedState {
    STARTED, STOPPED, DESTROYED;

    @JsonValue
    public String json() {
        return Enums.json(this);
    }

    @JsonCreator
    public static RequestedState parse(String s) {
        return Enums.parse(RequestedState.class, s);
    }
}
