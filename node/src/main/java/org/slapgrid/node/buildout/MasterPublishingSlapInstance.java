package org.slapgrid.node.buildout;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.slapgrid.recipes.slap.ChildInstance;
import org.slapgrid.recipes.slap.ChildRequest;
import org.slapgrid.recipes.slap.InstanceConfiguration;
import org.slapgrid.recipes.slap.SlapInstanceException;
import org.slapgrid.recipes.slap.SlapInstance;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;

/**
 * The {@link SlapInstance} of a partition's buildout: its configuration is the local
 * instance.json the node wrote (no call to the master), while what the publish and request
 * recipes do goes to the master. It speaks with the instance's own secret, so an instance can act only
 * on itself and its children, whatever its profile tries. Publishing, which most partitions do,
 * goes through the light {@link InstancePublisher}; the protocol's {@link SlapClient} (an HTTP
 * client and a databind mapper, most of a buildout child's start-up) is built only when a
 * profile requests a child.
 */
final class MasterPublishingSlapInstance implements SlapInstance {

    private final InstancePublisher publisher;
    private final Supplier<SlapClient> clients;
    private final InstanceConfiguration configuration;
    private SlapClient client;

    MasterPublishingSlapInstance(InstancePublisher publisher, Supplier<SlapClient> clients, InstanceConfiguration configuration) {
        this.publisher = publisher;
        this.clients = clients;
        this.configuration = configuration;
    }

    private synchronized SlapClient client() {
        if (client == null) {
            client = clients.get();
        }
        return client;
    }

    @Override
    public InstanceConfiguration configuration() {
        return configuration;
    }

    @Override
    public void publish(Map<String, String> connection) {
        try {
            publisher.publish(connection);
        } catch (RuntimeException e) {
            throw new SlapInstanceException("publishing connection parameters to the master failed: " + e.getMessage(), e);
        }
    }

    @Override
    public ChildInstance request(ChildRequest r) {
        RequestedState state;
        try {
            state = RequestedState.parse(r.state());
        } catch (IllegalArgumentException e) {
            throw new SlapInstanceException("child '" + r.name() + "': state " + e.getMessage());
        }
        Map<String, String> filter = new LinkedHashMap<>();
        // SlapOS profiles say sla-computer_guid; this master calls the same filter "node".
        r.sla().forEach((k, v) -> filter.put("computer_guid".equals(k) ? "node" : k, v));
        try {
            Instance child = client().requestChild(new InstanceRequest(r.name(), r.softwareUrl(), r.softwareType(),
                    r.parameters(), state, r.shared(), filter));
            Map<String, String> connection = new LinkedHashMap<>();
            if (child.connectionParameters() != null) {
                child.connectionParameters().forEach((k, v) -> connection.put(k, v == null ? "" : String.valueOf(v)));
            }
            String known = child.reportedState() != null ? child.reportedState().json() : child.requestedState().json();
            return new ChildInstance(child.name(), known, child.id(), connection);
        } catch (RuntimeException e) {
            throw new SlapInstanceException("requesting child '" + r.name() + "' from the master failed: " + e.getMessage(), e);
        }
    }
}
