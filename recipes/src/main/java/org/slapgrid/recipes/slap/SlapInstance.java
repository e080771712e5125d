package org.slapgrid.recipes.slap;

import java.util.Map;

/**
 * The instance a buildout runs for, and its link to the master, as the node provides it to
 * recipes through {@code BuildoutContext.service(SlapInstance.class)}.
 *
 * <p>The recipes module defines this interface (recipes depend on buildout only); the node
 * module implements it on top of its master client. {@link LocalSlapInstance} is a file-backed
 * implementation used when no service is registered and {@code [slap-connection]} names its
 * files (see {@link SlapInstances}), and by tests.
 *
 * <p>Implementations throw {@link SlapInstanceException} when the master cannot be reached or refuses.
 */
public interface SlapInstance {

    /** What the master says about this instance: parameters, type, state, addresses, ids. */
    InstanceConfiguration configuration();

    /**
     * Publishes the instance's connection parameters (replacing those published before), as
     * SlapOS's {@code setConnectionDict}.
     */
    void publish(Map<String, String> connection);

    /**
     * Publishes connection parameters for one shared instance ("slave") hosted by this one,
     * identified by its reference. Nodes that do not host shared instances may keep the default.
     */
    default void publishShared(String sharedInstanceReference, Map<String, String> connection) {
        throw new SlapInstanceException("this node does not support shared instances (reference '"
                + sharedInstanceReference + "')");
    }

    /**
     * Requests (creates or updates) a child instance; idempotent by the child's name for this
     * requester. Returns at once with what is known of the child: a child not yet deployed has
     * an empty connection map.
     */
    ChildInstance request(ChildRequest request);
}
