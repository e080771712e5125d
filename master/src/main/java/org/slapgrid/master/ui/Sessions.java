package org.slapgrid.master.ui;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.service.CredentialStore;

/**
 * Login (a user's API token exchanged for a session cookie), logout and expiry. Sessions live in
 * the credential store (kind {@code session}), so masters sharing a database share them; the
 * cookie is HttpOnly, SameSite=Strict, limited to /ui, and Secure when the master speaks TLS.
 */
final class Sessions {
    static final String COOKIE = "slapgrid_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_FIELD = "_csrf";

    private final CredentialStore credentials;
    private final Duration maxAge;

    Sessions(CredentialStore credentials, Duration maxAge) {
        this.credentials = credentials;
        this.maxAge = maxAge;
    }

    /** Opens a session for the owner of {@code token} and sets its cookie; empty when the token is not a user's. */
    Optional<Principal> login(Context ctx, String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        Optional<Principal> user = credentials.authenticate(token.strip()).filter(Principal::isUser);
        user.ifPresent(p -> setCookie(ctx, credentials.createSession(p, maxAge), maxAge.toSeconds()));
        return user;
    }

    /** Opens a session with a one-time login link's token, which is used up; empty when it was used or expired. */
    Optional<Principal> loginOnce(Context ctx, String linkToken) {
        if (linkToken == null || !linkToken.startsWith("sgl_") || linkToken.length() > 200) {
            return Optional.empty();
        }
        Optional<Principal> user = credentials.redeemLoginLink(linkToken.strip(), CredentialStore.LOGIN_LINK_TTL);
        user.ifPresent(p -> setCookie(ctx, credentials.createSession(p, maxAge), maxAge.toSeconds()));
        return user;
    }

    void logout(Context ctx, UiSession session) {
        String token = ctx.cookie(COOKIE);
        if (token != null) {
            credentials.endSession(session.user(), token);
        }
        setCookie(ctx, "", 0);
    }

    /** The session of this request's cookie, if it is valid and not expired. */
    Optional<UiSession> current(Context ctx) {
        String token = ctx.cookie(COOKIE);
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        return credentials.session(token, maxAge).map(p -> new UiSession(p, csrfOf(token)));
    }

    /** Whether the request carries the session's CSRF token (header for htmx, form field otherwise). */
    static boolean csrfMatches(Context ctx, UiSession session) {
        String sent = ctx.header(CSRF_HEADER);
        if (sent == null) {
            sent = ctx.formParam(CSRF_FIELD);
        }
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.US_ASCII),
                session.csrf().getBytes(StandardCharsets.US_ASCII));
    }

    /** A value only the holder of the session cookie can compute; it never reveals the cookie. */
    private static String csrfOf(String sessionToken) {
        String h = Secrets.hash("slapgrid-csrf\0" + sessionToken);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(h.getBytes(StandardCharsets.US_ASCII)).substring(0, 43);
    }

    private static void setCookie(Context ctx, String value, long maxAgeSeconds) {
        // Written by hand: the attribute set (SameSite in particular) is then the same on every Javalin version.
        ctx.res().addHeader("Set-Cookie", COOKIE + "=" + value + "; Path=/ui; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (ctx.req().isSecure() ? "; Secure" : ""));
    }
}
