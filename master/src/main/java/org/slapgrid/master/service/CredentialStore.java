package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;

/** Credentials of users, nodes and instances, stored as hashes. */
public final class CredentialStore {
    private final Database db;

    public CredentialStore(Database db) {
        this.db = db;
    }

    /** The principal owning {@code token}, if any. */
    public Optional<Principal> authenticate(String token) {
        String hash = Secrets.hash(token);
        return db.read(c -> Sql.one(c, "SELECT token_hash, kind, subject, admin FROM credential WHERE token_hash = ?",
                rs -> Secrets.sameHash(hash, rs.getString(1))
                        ? new Principal(Principal.Kind.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)),
                        rs.getString(3), rs.getBoolean(4))
                        : null,
                hash));
    }

    /** Creates an API token for user {@code name}; returns the token (shown once). */
    public String createUserToken(String name, boolean admin) {
        String token = Secrets.newToken("sgu_");
        db.transaction(c -> {
            insert(c, token, Principal.user(name, admin));
            AuditLog.record(c, null, "token.create", "user:" + name, admin ? "admin" : null);
            return null;
        });
        return token;
    }

    /** An admin creates a token for a user (the user exists through its tokens). */
    public String createUserToken(Principal who, String name, boolean admin) {
        if (!who.isUser() || !who.admin()) {
            throw ApiException.forbidden("only an admin can create API tokens");
        }
        Validate.id("user name", name);
        String token = Secrets.newToken("sgu_");
        db.transaction(c -> {
            insert(c, token, Principal.user(name, admin));
            AuditLog.record(c, who, "token.create", "user:" + name, admin ? "admin" : null);
            return null;
        });
        return token;
    }

    /** Whether any user credential exists (the first start creates the admin's). */
    public boolean anyUser() {
        return db.read(c -> Sql.one(c, "SELECT 1 FROM credential WHERE kind = 'user'", rs -> true).isPresent());
    }

    static void insert(Connection c, String token, Principal p) throws SQLException {
        Sql.update(c, "INSERT INTO credential (token_hash, kind, subject, admin, created_at) VALUES (?, ?, ?, ?, ?)",
                Secrets.hash(token), p.kind().name().toLowerCase(java.util.Locale.ROOT), p.subject(), p.admin(),
                System.currentTimeMillis());
    }

    static void revoke(Connection c, Principal.Kind kind, String subject) throws SQLException {
        Sql.update(c, "DELETE FROM credential WHERE kind = ? AND subject = ?",
                kind.name().toLowerCase(java.util.Locale.ROOT), subject);
    }
}
