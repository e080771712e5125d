package org.slapgrid.recipes.slap;

import java.util.Map;

/**
 * What is known of a requested child instance.
 *
 * @param name         the child's name
 * @param state        its state as the master knows it (the requested state until it is deployed)
 * @param instanceGuid its id at the master (empty when not allocated yet)
 * @param connection   the connection parameters it published (empty until it publishes)
 */
public record ChildInstance(String name, String state, String instanceGuid, Map<String, String> connection) {

    public ChildInstance {
        state = state == null ? "" : state;
        instanceGuid = instanceGuid == null ? "" : instanceGuid;
        connection = connection == null ? Map.of() : Map.copyOf(connection);
    }
}
