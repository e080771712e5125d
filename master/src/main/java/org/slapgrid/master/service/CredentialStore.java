package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.TokenInfo;

/** Credentials of users, nodes and instances, stored as hashes. */
public final class CredentialStore {
    /** How long a one-time login link works (it is meant to be clicked right after it is printed). */
    public static final java.time.Duration LOGIN_LINK_TTL = java.time.Duration.ofMinutes(10);
    private final Database db;

    public CredentialStore(Database db) {
        this.db = db;
    }

    /** The principal owning {@code token}, if any. */
    public Optional<Principal> authenticate(String token) {
        String hash = Secrets.hash(token);
        return db.read(c -> Sql.one(c, "SELECT token_hash, kind, subject, admin FROM credential WHERE token_hash = ?"
                        + " AND kind IN ('user', 'node', 'instance')",
                rs -> Secrets.sameHash(hash, rs.getString("token_hash"))
                        ? new Principal(Principal.Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                        rs.getString("subject"), rs.getBoolean("admin"))
                        : null,
                hash));
    }

    /** Creates an API token for user {@code name}; returns the token (shown once). */
    public String createUserToken(String name, boolean admin) {
        return userToken(null, name, admin);
    }

    /** The id of a token as listed and revoked: the first 16 hex digits of its hash (its hash is no secret). */
    public static String idOf(String token) {
        return Secrets.hash(token).substring(0, ID_LENGTH);
    }

    private static final int ID_LENGTH = 16;

    /** Credentials (never tokens): all of them for an admin, its own API tokens for a user. */
    public List<TokenInfo> list(Principal caller, String kind) {
        NodeService.requireUser(caller);
        if (kind != null && !List.of("user", "node", "instance").contains(kind)) {
            throw ApiException.badRequest("kind must be user, node or instance (got '" + Validate.clip(kind) + "')");
        }
        StringBuilder sql = new StringBuilder("SELECT token_hash, kind, subject, admin, created_at FROM credential WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!caller.admin()) {
            sql.append(" AND kind = 'user' AND subject = ?");
            args.add(caller.subject());
        }
        if (kind != null) {
            sql.append(" AND kind = ?");
            args.add(kind);
        }
        sql.append(" ORDER BY kind, subject, created_at");
        return db.read(c -> Sql.list(c, sql.toString(), rs -> new TokenInfo(rs.getString("token_hash").substring(0, ID_LENGTH),
                rs.getString("kind"), rs.getString("subject"), rs.getBoolean("admin"), rs.getLong("created_at")), args.toArray()));
    }

    /**
     * Revokes the credential with id {@code id}: any one for the admin, one of its own API tokens
     * for a user. The caller's authentication cache must forget it too.
     */
    public TokenInfo revoke(Principal caller, String id) {
        NodeService.requireUser(caller);
        if (id == null || !id.matches("[0-9a-f]{" + ID_LENGTH + "}")) {
            throw ApiException.badRequest("a token id is " + ID_LENGTH + " lower-case hex digits (slapos token list shows them)");
        }
        return db.transaction(c -> {
            List<TokenInfo> found = Sql.list(c, "SELECT token_hash, kind, subject, admin, created_at FROM credential"
                            + " WHERE token_hash LIKE ?", rs -> new TokenInfo(rs.getString("token_hash"), rs.getString("kind"),
                            rs.getString("subject"), rs.getBoolean("admin"), rs.getLong("created_at")), id + "%");
            TokenInfo t = found.stream().filter(f -> caller.admin() || (f.kind().equals("user") && f.subject().equals(caller.subject())))
                    .findFirst().orElseThrow(() -> ApiException.notFound("unknown_token", "no token with id " + id));
            if (t.admin() && Sql.one(c, "SELECT COUNT(*) FROM credential WHERE kind = 'user' AND admin = ?",
                    rs -> rs.getLong(1), true).orElse(0L) <= 1) {
                throw ApiException.conflict("last_admin_token", "this is the last admin token: create another"
                        + " (slapos token create NAME --admin) before revoking it");
            }
            Sql.update(c, "DELETE FROM credential WHERE token_hash = ?", t.id());
            AuditLog.record(c, caller, "token.revoke", t.kind() + ":" + t.subject(), id);
            return new TokenInfo(id, t.kind(), t.subject(), t.admin(), t.createdAt());
        });
    }

    /** An admin creates a token for a user (the user exists through its tokens). */
    public String createUserToken(Principal caller, String name, boolean admin) {
        if (!caller.isUser() || !caller.admin()) {
            throw ApiException.forbidden("only an admin can create API tokens");
        }
        Validate.id("user name", name);
        return userToken(caller, name, admin);
    }

    /** A new user token, audited as made by {@code caller} (null: the master itself, as at the first start). */
    private String userToken(Principal caller, String name, boolean admin) {
        String token = Secrets.newToken("sgu_");
        db.transaction(c -> {
            insert(c, token, Principal.user(name, admin));
            AuditLog.record(c, caller, "token.create", "user:" + name, admin ? "admin" : null);
            return null;
        });
        return token;
    }

    /**
     * A web UI session for {@code user} (kind {@code session}: never accepted as an API token).
     * Kept in the store, not in memory, so any master sharing the database serves the session.
     * Sessions of the user that are older than {@code maxAge} are dropped on the way.
     */
    public String createSession(Principal user, java.time.Duration maxAge) {
        if (!user.isUser()) {
            throw ApiException.forbidden("only a user's API token opens a session");
        }
        String token = Secrets.newToken("sgs_");
        db.transaction(c -> {
            Sql.update(c, "DELETE FROM credential WHERE kind = 'session' AND created_at < ?",
                    System.currentTimeMillis() - maxAge.toMillis());
            Sql.update(c, "INSERT INTO credential (token_hash, kind, subject, admin, created_at) VALUES (?, 'session', ?, ?, ?)",
                    Secrets.hash(token), user.subject(), user.admin(), System.currentTimeMillis());
            AuditLog.record(c, user, "session.login", "user:" + user.subject(), null);
            return null;
        });
        return token;
    }

    /**
     * A one-time login link's token for {@code user} (kind {@code login}: never an API token, never
     * a session). Only its hash is stored; {@link #redeemLoginLink} deletes it as it opens a session.
     */
    public String createLoginLink(Principal user, java.time.Duration ttl) {
        NodeService.requireUser(user);
        String token = Secrets.newToken("sgl_");
        db.transaction(c -> {
            Sql.update(c, "DELETE FROM credential WHERE kind = 'login' AND created_at < ?", System.currentTimeMillis() - ttl.toMillis());
            Sql.update(c, "INSERT INTO credential (token_hash, kind, subject, admin, created_at) VALUES (?, 'login', ?, ?, ?)",
                    Secrets.hash(token), user.subject(), user.admin(), System.currentTimeMillis());
            AuditLog.record(c, user, "session.link", "user:" + user.subject(), null);
            return null;
        });
        return token;
    }

    /**
     * The user of a login link younger than {@code ttl}, which is used up by this call: the row is
     * deleted in the same transaction, and only the call that deleted it gets the user (a second
     * use, even a concurrent one, gets nothing).
     */
    public Optional<Principal> redeemLoginLink(String token, java.time.Duration ttl) {
        String hash = Secrets.hash(token);
        long oldest = System.currentTimeMillis() - ttl.toMillis();
        return db.transaction(c -> {
            Optional<Principal> caller = Sql.one(c, "SELECT token_hash, subject, admin FROM credential"
                            + " WHERE token_hash = ? AND kind = 'login' AND created_at >= ?",
                    rs -> Secrets.sameHash(hash, rs.getString(1)) ? Principal.user(rs.getString(2), rs.getBoolean(3)) : null,
                    hash, oldest);
            if (caller.isEmpty() || Sql.update(c, "DELETE FROM credential WHERE token_hash = ? AND kind = 'login'", hash) != 1) {
                return Optional.<Principal>empty();
            }
            AuditLog.record(c, caller.get(), "session.link-used", "user:" + caller.get().subject(), null);
            return caller;
        });
    }

    /** The user of a session younger than {@code maxAge}. */
    public Optional<Principal> session(String token, java.time.Duration maxAge) {
        String hash = Secrets.hash(token);
        long oldest = System.currentTimeMillis() - maxAge.toMillis();
        return db.read(c -> Sql.one(c, "SELECT token_hash, subject, admin FROM credential"
                        + " WHERE token_hash = ? AND kind = 'session' AND created_at >= ?",
                rs -> Secrets.sameHash(hash, rs.getString(1)) ? Principal.user(rs.getString(2), rs.getBoolean(3)) : null,
                hash, oldest));
    }

    /** Logout: the session stops working at once. */
    public void endSession(Principal user, String token) {
        db.transaction(c -> {
            if (Sql.update(c, "DELETE FROM credential WHERE token_hash = ? AND kind = 'session'", Secrets.hash(token)) > 0) {
                AuditLog.record(c, user, "session.logout", "user:" + user.subject(), null);
            }
            return null;
        });
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
