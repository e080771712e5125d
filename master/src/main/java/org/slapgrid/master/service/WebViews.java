package org.slapgrid.master.service;

import java.util.List;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyState;

/**
 * What the web UI reads beyond the API's answers (instances by id with their owner checked,
 * bangs, supplies per node, the audit log) and the one audit entry only it writes: the reveal of
 * a connection parameter. Every read is limited to what the user may see: an admin sees
 * everything, another user the nodes it registered and the instances it owns.
 */
public final class WebViews {
    private final Database db;

    public WebViews(Database db) {
        this.db = db;
    }

    /** A bang of an instance's tree. */
    public record Bang(String id, long at, String instanceId, String instanceName, String actor, String message) {
    }

    /** One audit row. */
    public record AuditEntry(String id, long at, String actor, String action, String target, String detail) {
    }

    /** The instance with this id: 404 if there is none, 403 if it is not the user's. */
    public Instance instance(Principal caller, String id) {
        NodeService.requireUser(caller);
        Instance i = db.read(c -> InstanceRows.byId(c, id))
                .orElseThrow(() -> ApiException.notFound("unknown_instance", "there is no instance '" + id + "'"));
        if (!caller.admin() && !i.owner().equals(caller.subject())) {
            throw ApiException.forbidden("instance '" + id + "' belongs to another user");
        }
        return i;
    }

    /** The status tree its node last reported for an instance the user may see (null before the first report). */
    public org.slapgrid.slap.model.PartitionStatus status(Principal caller, Instance instance) {
        NodeService.requireUser(caller);
        if (!caller.admin() && !instance.owner().equals(caller.subject())) {
            throw ApiException.forbidden("instance '" + instance.id() + "' belongs to another user");
        }
        return db.read(c -> Sql.one(c, "SELECT status_json, status_at FROM instance WHERE id = ?", rs -> {
            String json = rs.getString(1);
            return json == null ? null : InstanceRows.status(json).receivedAt(rs.getLong(2));
        }, instance.id())).orElse(null);
    }

    /** The bangs of the instances of the tree rooted at {@code rootId}, newest first. */
    public List<Bang> bangsOfTree(Principal caller, String rootId, int limit) {
        NodeService.requireUser(caller);
        return db.read(c -> Sql.list(c, "SELECT b.id, b.at, b.instance_id, i.name, b.actor, b.message FROM bang b"
                + " JOIN instance i ON i.id = b.instance_id WHERE i.root_id = ?" + (caller.admin() ? "" : " AND i.owner = ?")
                + " ORDER BY b.at DESC, b.id DESC LIMIT " + Math.max(1, limit), WebViews::bang,
                caller.admin() ? new Object[] {rootId} : new Object[] {rootId, caller.subject()}));
    }

    /** The latest bangs the user may see, newest first. */
    public List<Bang> recentBangs(Principal caller, int limit) {
        NodeService.requireUser(caller);
        return db.read(c -> Sql.list(c, "SELECT b.id, b.at, b.instance_id, i.name, b.actor, b.message FROM bang b"
                + " JOIN instance i ON i.id = b.instance_id" + (caller.admin() ? "" : " WHERE i.owner = ?")
                + " ORDER BY b.at DESC, b.id DESC LIMIT " + Math.max(1, limit), WebViews::bang,
                caller.admin() ? new Object[0] : new Object[] {caller.subject()}));
    }

    private static Bang bang(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Bang(rs.getString("id"), rs.getLong("at"), rs.getString("instance_id"), rs.getString("name"),
                rs.getString("actor"), rs.getString("message"));
    }

    /** The addresses the node reported for its partitions (at format), those it did not report left out; empty for a node the user may not see. */
    public List<String> partitionAddresses(Principal caller, String nodeId) {
        return ofVisibleNode(caller, nodeId, c -> Sql.list(c,
                "SELECT address FROM node_partition WHERE node_id = ? AND address IS NOT NULL", rs -> rs.getString(1), nodeId));
    }

    /** The releases supplied to a node the user may see, by URL; empty for a node the user may not see. */
    public List<SoftwareSupply> supplies(Principal caller, String nodeId) {
        return ofVisibleNode(caller, nodeId, c -> Sql.list(c,
                "SELECT url, requested_state, reported_state, error_log FROM supply WHERE node_id = ? ORDER BY url",
                rs -> new SoftwareSupply(rs.getString("url"), SupplyState.parse(rs.getString("requested_state")),
                        rs.getString("reported_state") == null ? null : SoftwareState.parse(rs.getString("reported_state")),
                        rs.getString("error_log")),
                nodeId));
    }

    /**
     * A read about one node, for the user that may see it (the admin, or the node's owner: {@link
     * NodeAccess#managedOwner}); empty for another user's node or an unknown one, so a page never
     * tells which nodes exist.
     */
    private <T> List<T> ofVisibleNode(Principal caller, String nodeId, Database.Work<List<T>> read) {
        NodeService.requireUser(caller);
        return db.read(c -> NodeAccess.managedOwner(c, caller, nodeId).isEmpty() ? List.of() : read.run(c));
    }

    /** The releases the user may request: those supplied (available) to the user's nodes; every supplied one for an admin. */
    public List<String> releases(Principal caller) {
        NodeService.requireUser(caller);
        return db.read(c -> Sql.list(c, "SELECT DISTINCT s.url FROM supply s JOIN node n ON n.id = s.node_id"
                        + " WHERE s.requested_state = 'available'" + (caller.admin() ? "" : " AND n.owner = ?") + " ORDER BY s.url",
                rs -> rs.getString(1), caller.admin() ? new Object[0] : new Object[] {caller.subject()}));
    }

    /**
     * Audit entries the user may see, newest first: an admin all; another user its own actions
     * and those on its instances. {@code after} (epoch ms, inclusive) bounds a live tail.
     */
    public List<AuditEntry> audit(Principal caller, long after, int limit) {
        NodeService.requireUser(caller);
        String where = caller.admin() ? "WHERE a.at >= ?"
                : "WHERE a.at >= ? AND (a.actor = ? OR a.target IN (SELECT 'instance:' || i.id FROM instance i WHERE i.owner = ?))";
        Object[] args = caller.admin() ? new Object[] {after} : new Object[] {after, caller.actor(), caller.subject()};
        return db.read(c -> Sql.list(c, "SELECT a.id, a.at, a.actor, a.action, a.target, a.detail FROM audit a " + where
                + " ORDER BY a.at DESC, a.id DESC LIMIT " + Math.max(1, limit), WebViews::entry, args));
    }

    /** Every audit entry since {@code after} with the owner of its target instance or node (null for others): the live feed's source. */
    public List<OwnedEntry> auditSince(long after, int limit) {
        return db.read(c -> Sql.list(c, "SELECT a.id, a.at, a.actor, a.action, a.target, a.detail, COALESCE(i.owner, n.owner) AS owner FROM audit a"
                        + " LEFT JOIN instance i ON a.target = 'instance:' || i.id LEFT JOIN node n ON a.target = 'node:' || n.id WHERE a.at >= ? ORDER BY a.at, a.id LIMIT " + Math.max(1, limit),
                rs -> new OwnedEntry(entry(rs), rs.getString("owner")), after));
    }

    /** An audit entry and the user owning the instance it is about (null if none). */
    public record OwnedEntry(AuditEntry entry, String owner) {
    }

    private static AuditEntry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AuditEntry(rs.getString("id"), rs.getLong("at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("target"), rs.getString("detail"));
    }

    /** Records that the user was shown connection parameter {@code key} of the instance (its name, never its value). */
    public void recordReveal(Principal caller, Instance instance, String key) {
        db.transaction(c -> {
            AuditLog.record(c, caller, "instance.reveal", "instance:" + instance.id(), key);
            return null;
        });
    }
}
