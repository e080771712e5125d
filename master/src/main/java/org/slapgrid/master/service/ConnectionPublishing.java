package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.cluster.ClusterMemberships;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;

/**
 * Connection parameters, published by an instance (or its node for it): checked, rate-limited,
 * and wakes whoever reads them (its node, its cluster peers' nodes, its requester's node).
 */
record ConnectionPublishing(Database db, ChangeListener listener, Limits limits, RateLimiter rate) {
    ConnectionPublishing(Database db, ChangeListener listener, Limits limits) {
        this(db, listener, limits, new RateLimiter(limits.publishRate(), "changes of connection parameters"));
    }

    /** Connection parameters, published by the partition's node. */
    void publish(Principal caller, String nodeId, String partition, Map<String, Object> params) {
        Validate.present("parameters", params);
        ParameterCheck.check("connectionParameters", params, limits, limits.maxConnectionBytes());
        Changes.write(db, listener, c -> publish(c, caller, InstanceLookup.inPartition(c, caller, nodeId, partition), params));
    }

    /** Connection parameters, published by the instance itself. */
    void publishSelf(Principal caller, Map<String, Object> params) {
        InstanceLookup.requireInstance(caller);
        Validate.present("parameters", params);
        ParameterCheck.check("connectionParameters", params, limits, limits.maxConnectionBytes());
        Changes.write(db, listener, c -> publish(c, caller, InstanceLookup.self(c, caller), params));
    }

    private Changes publish(Connection c, Principal caller, Instance i, Map<String, Object> params) throws SQLException {
        Changes changes = new Changes();
        if (i.connectionParameters().equals(params)) {
            return changes; // unchanged (in any key order): no write, no wake-up, not counted
        }
        rate.acquire(i.id());
        String json = InstanceRows.json(new LinkedHashMap<>(params));
        Sql.update(c, "UPDATE instance SET connection_params = ? WHERE id = ?", json, i.id());
        changes.touch(i.node()); // its own node's document carries them (the version keys its cache)
        ClusterMemberships.touchPeers(c, i.id(), changes); // a cluster's members list each other's
        if (i.parent() != null) {
            // The requester reads its children's connection parameters when it converges: make it converge again.
            Optional<Instance> parent = InstanceRows.byId(c, i.parent());
            if (parent.isPresent()) {
                Sql.update(c, "UPDATE instance SET ts = ? WHERE id = ?", InstanceRows.nextTimestamp(parent.get().timestamp()), parent.get().id());
                changes.touch(parent.get().node());
            }
        }
        AuditLog.record(c, caller, "instance.publish", "instance:" + i.id(), Validate.clip(String.join(",", params.keySet())));
        return changes;
    }
}
