package org.slapgrid.master.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Lifecycle notifications POSTed to a cluster's webhook (seed 003's "future work"): the JSON body
 * signed with HMAC-SHA256 of the cluster's webhook secret, in the header
 * {@code X-Slapgrid-Signature: sha256=<hex>} (computed over the exact body bytes, GitHub's
 * convention), with {@code X-Slapgrid-Event: lifecycle.termination}. Tried up to
 * {@link #ATTEMPTS} times with a growing pause (as Senlin posts to Zaqar); the outcome goes to
 * the cluster's events through {@code outcome}. Sent after the commit that chose the member.
 */
final class Webhooks {
    static final String SIGNATURE_HEADER = "X-Slapgrid-Signature";
    static final String EVENT_HEADER = "X-Slapgrid-Event";
    static final int ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The signature header's value for {@code body}. */
    static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Posts {@code body}; {@code outcome} gets (true, "HTTP 200 after 1 attempt") or (false, why). */
    void post(String url, String secret, String event, String body, BiConsumer<Boolean, String> outcome) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header(EVENT_HEADER, event)
                .header(SIGNATURE_HEADER, signature(secret, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        attempt(request, 1, outcome);
    }

    private void attempt(HttpRequest request, int n, BiConsumer<Boolean, String> outcome) {
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            boolean ok = e == null && r.statusCode() / 100 == 2;
            String what = e != null ? e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    : "HTTP " + r.statusCode();
            if (ok || n >= ATTEMPTS) {
                outcome.accept(ok, what + " after " + n + " attempt" + (n == 1 ? "" : "s"));
                return;
            }
            CompletableFuture.delayedExecutor(1L << (n - 1), TimeUnit.SECONDS)
                    .execute(() -> attempt(request, n + 1, outcome));
        });
    }
}
