package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;

/** Bangs: an instance (or its node) asks its whole tree to converge again; recorded and rate-limited. */
record Bangs(Database db, ChangeListener listener, Limits limits, RateLimiter rate) {
    Bangs(Database db, ChangeListener listener, Limits limits) {
        this(db, listener, limits, new RateLimiter(limits.bangRate(), "bangs"));
    }

    /** A bang reported by the partition's node. */
    void bang(Principal caller, String nodeId, String partition, String message) {
        Changes.write(db, listener, c -> bang(c, caller, InstanceLookup.inPartition(c, caller, nodeId, partition), message));
    }

    /** A bang reported by the instance itself. */
    void bangSelf(Principal caller, String message) {
        InstanceLookup.requireInstance(caller);
        Changes.write(db, listener, c -> bang(c, caller, InstanceLookup.self(c, caller), message));
    }

    /** Records the bang and bumps the timestamp of every instance of the tree, so each node re-converges its part. */
    private Changes bang(Connection c, Principal caller, Instance i, String message) throws SQLException {
        rate.acquire(i.id());
        String msg = Validate.tail(message == null ? "" : message, limits.maxMessageChars());
        Sql.update(c, "INSERT INTO bang (id, at, instance_id, actor, message) VALUES (?, ?, ?, ?, ?)",
                Ids.next("b"), System.currentTimeMillis(), i.id(), caller.actor(), msg);
        Retention.keepNewestBangs(c, i.id(), limits.bangsPerInstance());
        long maxTs = Sql.one(c, "SELECT MAX(ts) FROM instance WHERE root_id = ?", rs -> rs.getLong(1), i.root()).orElse(0L);
        Sql.update(c, "UPDATE instance SET ts = ? WHERE root_id = ?", InstanceRows.nextTimestamp(maxTs), i.root());
        Changes changes = new Changes();
        Sql.list(c, "SELECT DISTINCT node_id FROM instance WHERE root_id = ? AND node_id IS NOT NULL", rs -> rs.getString(1), i.root())
                .forEach(changes::touch);
        AuditLog.record(c, caller, "instance.bang", "instance:" + i.id(), i.name());
        return changes;
    }
}
