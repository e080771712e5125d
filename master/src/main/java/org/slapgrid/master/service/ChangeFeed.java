package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slapgrid.master.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The changes committed by every master sharing one PostgreSQL database, from PostgreSQL's
 * {@code LISTEN}/{@code NOTIFY} ({@link Changes} sends one per node in each writing transaction):
 * a thread holds a connection of its own, outside the pool, and hands each notified node to the
 * listener (wake its long-polls, forget its cached document). When the connection fails it
 * reconnects with a growing back-off; whatever was committed while it was not listening is
 * covered by {@code resync} (forget every cache, wake every long-poll to re-check its version)
 * as soon as it listens again. Not used on SQLite, which one master holds alone.
 */
public final class ChangeFeed implements AutoCloseable {
    static final String CHANNEL = "slapgrid_node";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    /** How long one wait for notifications lasts; every few waits the connection is checked. */
    private static final int WAIT_MS = 1_000;
    private static final int CHECK_EVERY_WAITS = 5;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Database db;
    private final ChangeListener listener;
    private final Runnable resync;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile Connection current;

    private ChangeFeed(Database db, ChangeListener listener, Runnable resync) {
        this.db = db;
        this.listener = listener;
        this.resync = resync;
        this.thread = new Thread(this::run, "slapgrid-change-feed");
        this.thread.setDaemon(true);
    }

    /** Starts listening (PostgreSQL); null on SQLite. */
    public static ChangeFeed start(Database db, ChangeListener listener, Runnable resync) {
        if (db.isSqlite()) {
            return null;
        }
        ChangeFeed feed = new ChangeFeed(db, listener, resync);
        feed.thread.start();
        return feed;
    }

    /** Whether it is listening now (false while it reconnects). */
    public boolean listening() {
        return listening;
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = db.dedicatedConnection()) {
                current = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                backoff = 100;
                resync.run();
                listen(c, pg);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                listening = false;
                LOG.warn("PostgreSQL change feed lost ({}); reconnecting in {} ms", e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff); // a back-off between reconnections, not a synchronisation
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            } finally {
                listening = false;
                current = null;
            }
        }
    }

    private void listen(Connection c, PGConnection pg) throws SQLException {
        int idle = 0;
        while (!closed) {
            PGNotification[] got = pg.getNotifications(WAIT_MS);
            if (got != null && got.length > 0) {
                idle = 0;
                Set<String> nodes = new LinkedHashSet<>();
                for (PGNotification n : got) {
                    nodes.add(n.getParameter());
                }
                listener.changed(nodes);
            } else if (++idle >= CHECK_EVERY_WAITS) {
                idle = 0;
                try (Statement s = c.createStatement()) { // a dead server or network shows here
                    s.execute("SELECT 1");
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection c = current;
        if (c != null) {
            try {
                c.close(); // ends a blocked wait at once
            } catch (SQLException e) {
                // closing anyway
            }
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
