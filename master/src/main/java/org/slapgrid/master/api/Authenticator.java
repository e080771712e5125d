package org.slapgrid.master.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.CredentialStore;

/**
 * Turns an {@code Authorization: Bearer TOKEN} header into a principal. Known tokens are cached
 * by hash for a few seconds (a poll would otherwise cost one more query); a revoked credential
 * therefore stops working within {@code ttl}. Unknown tokens are never cached.
 */
final class Authenticator {
    private record Entry(Principal principal, long expiresAt) {
    }

    private final CredentialStore credentials;
    private final long ttlNanos;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    Authenticator(CredentialStore credentials, Duration ttl) {
        this.credentials = credentials;
        this.ttlNanos = ttl.toNanos();
    }

    /** After a revocation: every credential is looked up again on its next use. */
    void forgetAll() {
        cache.clear();
    }

    Principal authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "unauthenticated", "an Authorization: Bearer token is required");
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.length() > 200) {
            throw new ApiException(401, "unauthenticated", "the token is not valid");
        }
        String key = Secrets.hash(token);
        long now = System.nanoTime();
        Entry e = cache.get(key);
        if (e != null && e.expiresAt - now > 0) {
            return e.principal;
        }
        Optional<Principal> p = credentials.authenticate(token);
        if (p.isEmpty()) {
            cache.remove(key);
            throw new ApiException(401, "unauthenticated", "the token is not valid");
        }
        if (cache.size() > 100_000) {
            cache.clear();
        }
        cache.put(key, new Entry(p.get(), now + ttlNanos));
        return p.get();
    }
}
