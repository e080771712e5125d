package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;

/**
 * How each kind of caller names an instance, and the check that it may: a user by name, a node by
 * one of its partitions, an instance by its own secret. 403/404 otherwise.
 */
final class InstanceLookup {
    private InstanceLookup() {
    }

    /** One of the user's instances by name: one it requested, else the only descendant with that name. */
    static Instance named(Connection c, Principal caller, String name) throws SQLException {
        Optional<Instance> own = InstanceRows.byRequester(c, "user:" + caller.subject(), name);
        if (own.isPresent()) {
            return own.get();
        }
        List<Instance> named = InstanceRows.where(c, "WHERE i.owner = ? AND i.name = ?", caller.subject(), name);
        if (named.size() == 1) {
            return named.get(0);
        }
        throw named.isEmpty()
                ? ApiException.notFound("unknown_instance", "you have no instance named '" + name + "'")
                : ApiException.conflict("ambiguous_name", named.size() + " of your instances are named '" + name + "'");
    }

    /** The instance in a node's partition, for that node's own calls. */
    static Instance inPartition(Connection c, Principal caller, String nodeId, String partition) throws SQLException {
        NodeService.requireNode(caller, nodeId);
        Optional<String> slot = Sql.one(c, "SELECT instance_id FROM node_partition WHERE node_id = ? AND id = ?",
                rs -> Objects.requireNonNullElse(rs.getString(1), ""), nodeId, partition);
        if (slot.isEmpty()) {
            throw ApiException.notFound("unknown_partition", "node '" + nodeId + "' has no partition '" + partition + "'");
        }
        if (slot.get().isEmpty()) {
            throw ApiException.notFound("no_instance", "partition '" + partition + "' of node '" + nodeId + "' hosts no instance");
        }
        return InstanceRows.byId(c, slot.get()).orElseThrow();
    }

    /** Whether the node's partition hosts no instance (the node's own call). */
    static boolean isFree(Connection c, Principal caller, String nodeId, String partition) throws SQLException {
        NodeService.requireNode(caller, nodeId);
        return Sql.one(c, "SELECT 1 FROM node_partition WHERE node_id = ? AND id = ? AND instance_id IS NULL",
                rs -> true, nodeId, partition).isPresent();
    }

    /** The calling instance itself (its own secret). */
    static Instance self(Connection c, Principal caller) throws SQLException {
        requireInstance(caller);
        return InstanceRows.byId(c, caller.subject())
                .orElseThrow(() -> ApiException.notFound("unknown_instance", "this instance no longer exists"));
    }

    static void requireInstance(Principal caller) {
        if (caller.kind() != Principal.Kind.INSTANCE) {
            throw ApiException.forbidden("this call needs an instance's secret");
        }
    }
}
