package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;

/**
 * The nodes a transaction changed. Before commit their versions are bumped (in the same
 * transaction, so a version never announces data that is not there); after commit the
 * in-process notifier wakes their long-polls. On PostgreSQL the transaction also sends a
 * {@code NOTIFY} per node: PostgreSQL delivers it at commit, and only then, to every master
 * listening ({@link ChangeFeed}), so a master that dies after its commit loses no wake-up.
 */
public final class Changes {
    private final Set<String> nodes = new LinkedHashSet<>();

    public void touch(String nodeId) {
        if (nodeId != null) {
            nodes.add(nodeId);
        }
    }

    public Set<String> nodes() {
        return nodes;
    }

    void bumpVersions(Connection c) throws SQLException {
        for (String n : nodes) {
            Sql.update(c, "UPDATE node SET version = version + 1 WHERE id = ?", n);
        }
    }

    /** Queues the NOTIFY of every touched node in {@code c}'s transaction (PostgreSQL only). */
    void announce(Connection c) throws SQLException {
        for (String n : nodes) {
            announce(c, n);
        }
    }

    static void announce(Connection c, String nodeId) throws SQLException {
        Sql.one(c, "SELECT pg_notify('" + ChangeFeed.CHANNEL + "', ?)", rs -> true, nodeId);
    }

    /** Runs a write, bumps the touched nodes' versions in its transaction, and tells the listener after commit. */
    public static void write(Database db, ChangeListener listener, Database.Work<Changes> work) {
        Changes changes = db.transaction(c -> {
            Changes ch = work.run(c);
            ch.bumpVersions(c);
            if (!db.isSqlite()) {
                ch.announce(c);
            }
            return ch;
        });
        if (!changes.nodes().isEmpty()) {
            listener.changed(changes.nodes());
        }
    }
}
