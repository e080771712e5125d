package org.slapgrid.slap.model;

import java.util.Map;

/**
 * A request for an instance, by a user or by an instance for a child. Idempotent by
 * (requester, name): requesting again updates release, type, parameters and state.
 * {@code softwareType} defaults to "default", {@code state} to started, {@code filter} accepts
 * the keys {@code node} and {@code partition}.
 */
public record InstanceRequest(
        String name,
        String softwareUrl,
        String softwareType,
        Map<String, Object> parameters,
        RequestedState state,
        boolean shared,
        Map<String, String> filter) {

    /** A started, non-shared instance of type "default" without filter. */
    public static InstanceRequest of(String name, String softwareUrl, Map<String, Object> parameters) {
        return new InstanceRequest(name, softwareUrl, "default", parameters, RequestedState.STARTED, false, Map.of());
    }
}
