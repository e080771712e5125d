package org.slapgrid.recipes.slap;

import java.util.Map;
import java.util.Objects;

/**
 * A request for a child instance, as the request recipe sends it.
 *
 * @param name         the child's name, unique among this requester's children
 * @param softwareUrl  the software release URL of the child
 * @param softwareType the child's software type ({@code default} when empty)
 * @param parameters   the child's instance parameters (JSON values)
 * @param sla          placement constraints (e.g. {@code computer_guid}); empty values left out
 * @param state        {@code started}, {@code stopped} or {@code destroyed}
 * @param shared       true to request a shared instance ("slave") of an existing instance
 */
public record ChildRequest(
        String name,
        String softwareUrl,
        String softwareType,
        Map<String, Object> parameters,
        Map<String, String> sla,
        String state,
        boolean shared) {

    public ChildRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(softwareUrl, "softwareUrl");
        softwareType = softwareType == null || softwareType.isEmpty() ? "default" : softwareType;
        parameters = parameters == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        sla = sla == null ? Map.of() : Map.copyOf(sla);
        state = state == null || state.isEmpty() ? "started" : state;
    }
}
