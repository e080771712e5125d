package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ClusterEvent;

/**
 * The one owner of a cluster's append-only event log (table {@code cluster_event}, V6): every
 * operation, refusal, hook result, automatic decision is one entry. Append inside the
 * transaction that does the thing ({@link #append(Connection, String, String, String, Map)}),
 * so the log never tells of what did not happen; or on its own ({@link #append(String, String, String, Map)}).
 * The log goes with its cluster when the cluster is destroyed.
 */
public final class ClusterEvents {
    /** The most entries a listing returns (the newest ones). */
    static final int MAX_LISTED = 1000;
    private static final int MAX_MESSAGE = 4000;

    private final Database db;

    public ClusterEvents(Database db) {
        this.db = db;
    }

    /** Appends an entry dated now, in its own transaction. */
    public void append(String clusterId, String kind, String message, Map<String, Object> details) {
        append(clusterId, System.currentTimeMillis(), kind, message, details);
    }

    /** Appends an entry dated {@code at} (see {@link #append(Connection, String, long, String, String, Map)}), in its own transaction. */
    public void append(String clusterId, long at, String kind, String message, Map<String, Object> details) {
        db.transaction(c -> {
            append(c, clusterId, at, kind, message, details);
            return null;
        });
    }

    /** Appends an entry in the caller's transaction. */
    public static void append(Connection c, String clusterId, String kind, String message, Map<String, Object> details)
            throws SQLException {
        append(c, clusterId, System.currentTimeMillis(), kind, message, details);
    }

    /**
     * Appends an entry dated {@code at}: the time the decision it records was taken, when a
     * deadline was counted from it (the entry then shows exactly when the count began).
     */
    static void append(Connection c, String clusterId, long at, String kind, String message, Map<String, Object> details)
            throws SQLException {
        String text = message == null ? "" : message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
        Sql.update(c, "INSERT INTO cluster_event (id, cluster_id, at, kind, message, details) VALUES (?, ?, ?, ?, ?, ?)",
                Ids.next("e"), clusterId, at, kind, text, ClusterRows.json(details == null ? Map.of() : details));
    }

    /** The cluster's entries, oldest first (the newest {@link #MAX_LISTED}). */
    static List<ClusterEvent> list(Connection c, String clusterId) throws SQLException {
        List<ClusterEvent> newest = Sql.list(c, "SELECT at, kind, message, details FROM cluster_event WHERE cluster_id = ?"
                + " ORDER BY id DESC LIMIT " + MAX_LISTED, rs -> new ClusterEvent(rs.getLong("at"), rs.getString("kind"),
                rs.getString("message"), ClusterRows.map(rs.getString("details"))), clusterId);
        java.util.Collections.reverse(newest);
        return newest;
    }

    static void deleteAll(Connection c, String clusterId) throws SQLException {
        Sql.update(c, "DELETE FROM cluster_event WHERE cluster_id = ?", clusterId);
    }
}
