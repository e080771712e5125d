package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long history is kept, so the database of a fleet stays bounded: bangs (the newest
 * {@code bangsPerInstance} of each instance, none older than {@code bangMaxAge}; an instance's
 * bangs go with it) and the audit log (the newest {@code auditMaxRows}, none older than
 * {@code auditMaxAge}). Reports keep no history: each supply and instance holds its latest report,
 * its error log cut to {@code maxLogChars}.
 */
public final class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final Database db;
    private final Limits limits;

    public Retention(Database db, Limits limits) {
        this.db = db;
        this.limits = limits;
    }

    /** What one pruning removed. */
    public record Pruned(int bangs, int auditRows) {
    }

    /** Drops the bangs and audit rows past their retention; run every {@code pruneInterval} by the master. */
    public Pruned prune() {
        long now = System.currentTimeMillis();
        Pruned p = db.transaction(c -> {
            int bangs = Sql.update(c, "DELETE FROM bang WHERE at < ?", now - limits.bangMaxAge().toMillis());
            int audit = Sql.update(c, "DELETE FROM audit WHERE at < ?", now - limits.auditMaxAge().toMillis());
            // The newest auditMaxRows rows stay: find the time of the oldest one kept, drop what is older.
            Long cut = Sql.one(c, "SELECT at FROM audit ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?", rs -> rs.getLong(1),
                    limits.auditMaxRows()).orElse(null);
            if (cut != null) {
                audit += Sql.update(c, "DELETE FROM audit WHERE at <= ?", cut);
            }
            return new Pruned(bangs, audit);
        });
        if (p.bangs() + p.auditRows() > 0) {
            LOG.info("retention: dropped {} bangs and {} audit rows", p.bangs(), p.auditRows());
        }
        return p;
    }

    /** After a new bang: keeps the newest {@code keep} bangs of the instance (bang ids sort by time). */
    static void keepNewestBangs(Connection c, String instanceId, int keep) throws SQLException {
        var oldestDropped = Sql.one(c, "SELECT id FROM bang WHERE instance_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?",
                rs -> rs.getString(1), instanceId, keep);
        if (oldestDropped.isPresent()) {
            Sql.update(c, "DELETE FROM bang WHERE instance_id = ? AND id <= ?", instanceId, oldestDropped.get());
        }
    }
}
