package org.slapgrid.master.api;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.CredentialStore;

/**
 * Turns an {@code Authorization: Bearer TOKEN} header into a principal. Known tokens are cached
 * by hash for a few seconds (a poll would otherwise cost one more query); a revoked credential
 * therefore stops working within {@code ttl}. Unknown tokens are never cached. The cache is
 * Caffeine's (expiry after write, bounded size).
 */
final class Authenticator {
    private static final int MAX_CACHED = 100_000;

    private final CredentialStore credentials;
    private final Cache<String, Principal> cache;

    Authenticator(CredentialStore credentials, Duration ttl) {
        this.credentials = credentials;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_CACHED).build();
    }

    /** After a revocation: every credential is looked up again on its next use. */
    void forgetAll() {
        cache.invalidateAll();
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
        Principal known = cache.getIfPresent(key);
        if (known != null) {
            return known;
        }
        Optional<Principal> p = credentials.authenticate(token);
        if (p.isEmpty()) {
            throw new ApiException(401, "unauthenticated", "the token is not valid");
        }
        cache.put(key, p.get());
        return p.get();
    }
}
