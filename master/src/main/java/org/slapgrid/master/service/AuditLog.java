package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;

/** Appends one row per change, in the changing transaction. Never given a secret or parameter values. */
public final class AuditLog {
    private AuditLog() {
    }

    public static void record(Connection c, Principal caller, String action, String target, String detail) throws SQLException {
        Sql.update(c, "INSERT INTO audit (id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
                Ids.next("a"), System.currentTimeMillis(), caller == null ? "system" : caller.actor(), action, target, detail);
    }
}
