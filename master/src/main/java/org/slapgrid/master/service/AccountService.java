package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.AccountUpdate;
import org.slapgrid.slap.model.UserAccount;

/** What the admin allows each user: registering nodes, and its partition quota. */
public final class AccountService {
    private final Database db;
    private final Limits limits;

    public AccountService(Database db, Limits limits) {
        this.db = db;
        this.limits = limits;
    }

    /** The admin, or the user itself, reads what the user may do. */
    public UserAccount get(Principal caller, String name) {
        NodeService.requireUser(caller);
        if (!caller.admin() && !caller.subject().equals(name)) {
            throw ApiException.forbidden("only the admin reads another user's account");
        }
        return db.read(c -> read(c, name));
    }

    /** The admin changes what user {@code name} may do. */
    public UserAccount update(Principal caller, String name, AccountUpdate update) {
        if (!caller.isUser() || !caller.admin()) {
            throw ApiException.forbidden("only the admin changes what a user may do");
        }
        Validate.id("user name", name);
        Validate.present("body", update);
        if (update.partitionQuota() != null && update.partitionQuota() < -1) {
            throw ApiException.badRequest("partitionQuota must be a number of partitions, or -1 for the default");
        }
        return db.transaction(c -> {
            UserAccount old = read(c, name);
            boolean register = update.mayRegisterNodes() != null ? update.mayRegisterNodes() : old.mayRegisterNodes();
            Long quota = update.partitionQuota() == null ? old.partitionQuota()
                    : update.partitionQuota() == -1 ? null : update.partitionQuota();
            long now = System.currentTimeMillis();
            if (Sql.update(c, "UPDATE account SET may_register_nodes = ?, partition_quota = ?, updated_at = ? WHERE name = ?",
                    register, quota, now, name) == 0) {
                Sql.update(c, "INSERT INTO account (name, may_register_nodes, partition_quota, updated_at) VALUES (?, ?, ?, ?)",
                        name, register, quota, now);
            }
            AuditLog.record(c, caller, "user.update", "user:" + name,
                    "mayRegisterNodes=" + register + " partitionQuota=" + (quota == null ? "default" : quota));
            return read(c, name);
        });
    }

    private UserAccount read(Connection c, String name) throws SQLException {
        long used = Sql.one(c, "SELECT COUNT(*) FROM instance WHERE owner = ? AND partition_id IS NOT NULL",
                rs -> rs.getLong(1), name).orElse(0L);
        return Sql.one(c, "SELECT may_register_nodes, partition_quota FROM account WHERE name = ?", rs -> {
            long q = rs.getLong(2);
            return new UserAccount(name, rs.getBoolean(1), rs.wasNull() ? null : q, limits.defaultPartitionQuota(), used);
        }, name).orElse(new UserAccount(name, false, null, limits.defaultPartitionQuota(), used));
    }
}
