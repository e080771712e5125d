package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Sql;

/**
 * Who may do what with nodes. A user allocates only on nodes it may use: enabled nodes it owns
 * or that are shared with it (or with everyone, {@code '*'}); never another user's private node,
 * not even the admin. Only the admin, or a user the admin allowed, registers nodes; the admin
 * or the node's owner manages (disables, shares) it.
 */
public final class NodeAccess {
    /** A grantee meaning every user. */
    static final String EVERYONE = "*";

    private NodeAccess() {
    }

    /** SQL over node alias {@code n}: the node is enabled and {@code user} may allocate on it; args {@link #usableArgs}. */
    public static String usable(String n) {
        return n + ".disabled = ? AND (" + n + ".owner = ? OR EXISTS (SELECT 1 FROM node_share s WHERE s.node_id = "
                + n + ".id AND (s.grantee = ? OR s.grantee = ?)))";
    }

    public static List<Object> usableArgs(String user) {
        return List.of(false, user, user, EVERYONE);
    }

    /** The ids of the nodes {@code user} may allocate on. */
    static List<String> usableNodes(Connection c, String user) throws SQLException {
        return Sql.list(c, "SELECT n.id FROM node n WHERE " + usable("n"), rs -> rs.getString(1), usableArgs(user).toArray());
    }

    static void requireMayRegister(Connection c, Principal caller) throws SQLException {
        NodeService.requireUser(caller);
        if (caller.admin()) {
            return;
        }
        boolean allowed = Sql.one(c, "SELECT may_register_nodes FROM account WHERE name = ?", rs -> rs.getBoolean(1),
                caller.subject()).orElse(false);
        if (!allowed) {
            throw ApiException.forbidden("only the admin, or a user the admin allows (slapos user set "
                    + caller.subject() + " --may-register-nodes), may register nodes");
        }
    }

    /** The owner of {@code nodeId}, if {@code caller} (the admin or that owner) may manage it; 404 otherwise. */
    public static String requireManager(Connection c, Principal caller, String nodeId) throws SQLException {
        NodeService.requireUser(caller);
        // Another user's node is answered as missing: its name is not the caller's business.
        return managedOwner(c, caller, nodeId)
                .orElseThrow(() -> ApiException.notFound("unknown_node", "you have no node '" + nodeId + "'"));
    }

    /**
     * The owner of {@code nodeId} if {@code caller} is the admin or that owner (who may manage it and
     * see its supplies and addresses); empty for an unknown node or another user's.
     */
    public static Optional<String> managedOwner(Connection c, Principal caller, String nodeId) throws SQLException {
        return Sql.one(c, "SELECT owner FROM node WHERE id = ?", rs -> rs.getString(1), nodeId)
                .filter(owner -> caller.admin() || owner.equals(caller.subject()));
    }

    private static boolean isAdmin(Connection c, String user) throws SQLException {
        return Sql.one(c, "SELECT 1 FROM credential WHERE kind = 'user' AND subject = ? AND admin = ?",
                rs -> true, user, true).isPresent();
    }

    /** Refuses a new shared instance for {@code owner} beyond {@code maxSharedPerUser} (admins have no bound). */
    static void requireSharedBound(Connection c, String owner, Limits limits) throws SQLException {
        if (isAdmin(c, owner)) {
            return;
        }
        long shared = Sql.one(c, "SELECT COUNT(*) FROM instance WHERE owner = ? AND shared = ?", rs -> rs.getLong(1),
                owner, true).orElse(0L);
        if (shared >= limits.maxSharedPerUser()) {
            throw ApiException.conflict("quota_exceeded", "user '" + owner + "' holds " + shared
                    + " shared instances, the limit (maxSharedPerUser = " + limits.maxSharedPerUser() + ")");
        }
    }

    /** Refuses a new partition for {@code owner} beyond its quota (admins have none). */
    static void requireQuota(Connection c, String owner, Limits limits) throws SQLException {
        if (isAdmin(c, owner)) {
            return;
        }
        long quota = Sql.one(c, "SELECT partition_quota FROM account WHERE name = ?", rs -> {
            long q = rs.getLong(1);
            return rs.wasNull() ? null : q;
        }, owner).orElse(limits.defaultPartitionQuota());
        long used = Sql.one(c, "SELECT COUNT(*) FROM instance WHERE owner = ? AND partition_id IS NOT NULL",
                rs -> rs.getLong(1), owner).orElse(0L);
        if (used >= quota) {
            throw ApiException.conflict("quota_exceeded", "user '" + owner + "' holds " + used + " partitions, its quota ("
                    + "partitionQuota = " + quota + "); remove an instance or ask the admin for more");
        }
    }
}
