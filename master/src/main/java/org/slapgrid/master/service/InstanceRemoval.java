package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.RequestedState;

/**
 * Tree destruction: an instance and all its descendants are requested destroyed; each allocated
 * one keeps its partition until its node reports it destroyed ({@link InstanceReports}).
 */
record InstanceRemoval(Database db, ChangeListener listener) {

    /** Removes one of the user's instances; a cluster member only when {@code asCluster} (the cluster service). */
    Instance remove(Principal caller, String name, boolean asCluster) {
        NodeService.requireUser(caller);
        Instance[] out = new Instance[1];
        Changes.write(db, listener, c -> {
            Instance target = InstanceRows.byRequester(c, "user:" + caller.subject(), name)
                    .orElseThrow(() -> ApiException.notFound("unknown_instance", "you have no instance named '" + name + "'"));
            if (!asCluster && Sql.one(c, "SELECT 1 FROM cluster_member WHERE instance_id = ?", rs -> true, target.id()).isPresent()) {
                throw ApiException.conflict("cluster_member", "instance '" + name + "' is a cluster member; drop it with"
                        + " `slapos cluster shrink` (or destroy the cluster)");
            }
            Changes changes = new Changes();
            destroyTree(c, caller, target, changes);
            out[0] = InstanceRows.byId(c, target.id()).orElse(target);
            return changes;
        });
        return out[0];
    }

    /**
     * Marks {@code top} and its descendants destroyed. An allocated instance keeps its partition
     * until its node reports it destroyed; one without a partition (shared) goes at once.
     */
    static void destroyTree(Connection c, Principal caller, Instance top, Changes changes) throws SQLException {
        Deque<Instance> todo = new ArrayDeque<>(List.of(top));
        while (!todo.isEmpty()) {
            Instance i = todo.pop();
            todo.addAll(InstanceRows.where(c, "WHERE i.parent_id = ?", i.id()));
            if (i.partition() == null) {
                deleteInstance(c, i);
            } else if (i.requestedState() != RequestedState.DESTROYED) {
                Sql.update(c, "UPDATE instance SET requested_state = 'destroyed', ts = ? WHERE id = ?",
                        InstanceRows.nextTimestamp(i.timestamp()), i.id());
            }
            changes.touch(i.node());
            AuditLog.record(c, caller, "instance.destroy", "instance:" + i.id(), i.name());
        }
    }

    /** Deletes the instance's row and all that points at it (credentials, bangs, cluster membership). */
    static void deleteInstance(Connection c, Instance i) throws SQLException {
        CredentialStore.revoke(c, Principal.Kind.INSTANCE, i.id());
        Sql.update(c, "DELETE FROM bang WHERE instance_id = ?", i.id());
        // A member whose instance is gone (its node deleted) is no member any more: no row points at nothing.
        Sql.update(c, "DELETE FROM cluster_member WHERE instance_id = ?", i.id());
        Sql.update(c, "DELETE FROM instance WHERE id = ?", i.id());
    }
}
