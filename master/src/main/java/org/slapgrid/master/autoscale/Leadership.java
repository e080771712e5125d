package org.slapgrid.master.autoscale;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slapgrid.master.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which master evaluates the scaling policies: with several masters on one PostgreSQL, only the
 * one holding the session advisory lock {@link #KEY}, on a connection of its own (outside the
 * pool). The lock goes with that connection: a master that stops, dies or loses its connection
 * loses it, and another master's next evaluation takes it. The breach times are in the
 * evaluating master's memory, so a stable evaluator (not one per tick) is what keeps "held for
 * its duration" true. On SQLite (one master) this master always evaluates.
 */
final class Leadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The advisory lock's key: "slapasc" (slapgrid autoscaler) as a number, apart from any other lock. */
    static final long KEY = 0x736c6170617363L;

    private final Database db;
    private Connection held;
    private volatile boolean leading;

    Leadership(Database db) {
        this.db = db;
    }

    /** Whether this master evaluates now (taking the lock when free); called from the autoscaler's one thread. */
    synchronized boolean lead() {
        if (db.isSqlite()) {
            return true;
        }
        try {
            if (held != null && !held.isClosed() && held.isValid(2)) {
                if (leading) {
                    return true;
                }
            } else {
                drop();
                held = db.dedicatedConnection();
            }
            try (PreparedStatement ps = held.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    boolean was = leading;
                    leading = rs.getBoolean(1);
                    if (leading && !was) {
                        LOG.info("autoscaler: this master now evaluates the scaling policies (advisory lock taken)");
                    }
                }
            }
        } catch (SQLException e) {
            LOG.warn("autoscaler: cannot hold the evaluation lock ({}); not evaluating", e.toString());
            drop();
        }
        return leading;
    }

    /** Whether this master held the lock at its last evaluation (always true on SQLite once evaluated). */
    boolean leading() {
        return db.isSqlite() || leading;
    }

    private void drop() {
        leading = false;
        if (held != null) {
            try {
                held.close();
            } catch (SQLException ignored) {
                // gone already
            }
            held = null;
        }
    }

    @Override
    public synchronized void close() {
        drop(); // the lock goes with the connection
    }
}
