package org.slapgrid.master.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Lifecycle notifications POSTed to a cluster's webhook (seed 003's "future work"): the JSON body
 * signed with HMAC-SHA256 of the cluster's webhook secret, in the header
 * {@code X-Slapgrid-Signature: sha256=<hex>} (computed over the exact body bytes, GitHub's
 * convention), with {@code X-Slapgrid-Event: lifecycle.termination}. Tried up to
 * {@link #ATTEMPTS} times with a growing pause (as Senlin posts to Zaqar); the outcome goes to
 * the cluster's events through {@code outcome}. Sent after the commit that chose the member.
 *
 * <p>Guarded against server-side request forgery ({@link WebhookGuard}, docs/security.md): each
 * attempt resolves the host once, refuses an internal address, and connects to the very address
 * it checked (a socket of its own, not an HTTP client that would resolve the name again; TLS
 * still verifies the certificate against the URL's host name). Redirects are not followed, every
 * read has a deadline ({@link #TIMEOUT} for the whole attempt) and at most {@link #MAX_RESPONSE}
 * bytes of the answer are read. A refusal is not retried.
 */
final class Webhooks implements AutoCloseable {
    static final String SIGNATURE_HEADER = "X-Slapgrid-Signature";
    static final String EVENT_HEADER = "X-Slapgrid-Event";
    static final int ATTEMPTS = 3;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The most of the receiver's answer read (status line, headers and body); the rest is not. */
    static final int MAX_RESPONSE = 64 * 1024;

    /** How an attempt ended. */
    enum Result { DELIVERED, FAILED, REFUSED }

    @FunctionalInterface
    interface Outcome {
        void accept(Result result, String what);
    }

    private final WebhookGuard guard;
    private final ScheduledExecutorService senders = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "slapgrid-webhook");
        t.setDaemon(true);
        return t;
    });

    Webhooks(WebhookGuard guard) {
        this.guard = guard;
    }

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

    /** Posts {@code body} in the background; {@code outcome} gets (DELIVERED, "HTTP 200 after 1 attempt") or why not. */
    void post(String url, String secret, String event, String body, Outcome outcome) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String sig = signature(secret, bytes);
        senders.execute(() -> attempt(URI.create(url), event, sig, bytes, 1, outcome));
    }

    private void attempt(URI url, String event, String sig, byte[] body, int n, Outcome outcome) {
        String what;
        Result result;
        WebhookGuard.Verdict v = guard.check(url.getHost());
        if (!v.allowed()) {
            outcome.accept(Result.REFUSED, "refused: " + v.refusal() + "; not sent");
            return;
        }
        boolean again;
        try {
            int status = send(url, v, event, sig, body);
            result = status / 100 == 2 ? Result.DELIVERED : Result.FAILED;
            what = "HTTP " + status + (status / 100 == 3 ? " (redirects are not followed)" : "");
            again = status / 100 != 3; // a redirect stays one: not asked again
        } catch (IOException | RuntimeException e) {
            result = Result.FAILED;
            what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            again = true;
        }
        if (result == Result.DELIVERED || !again || n >= ATTEMPTS) {
            outcome.accept(result, what + " after " + n + " attempt" + (n == 1 ? "" : "s"));
            return;
        }
        senders.schedule(() -> attempt(url, event, sig, body, n + 1, outcome), 1L << (n - 1), TimeUnit.SECONDS);
    }

    /** One POST to the checked address; the answer's status code. */
    static int send(URI url, WebhookGuard.Verdict v, String event, String sig, byte[] body) throws IOException {
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        String host = url.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(v.address(), port), (int) CONNECT_TIMEOUT.toMillis());
            raw.setSoTimeout((int) TIMEOUT.toMillis());
            Socket conn = raw;
            if (tls) {
                SSLSocket ssl = (SSLSocket) sslContext().getSocketFactory().createSocket(raw, bare, port, true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the URL's host
                if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
                    p.setServerNames(List.of(new SNIHostName(bare)));
                }
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                conn = ssl;
            }
            try (Socket c = conn) {
                String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
                if (url.getRawQuery() != null) {
                    path += "?" + url.getRawQuery();
                }
                String head = "POST " + path + " HTTP/1.1\r\n"
                        + "Host: " + host + (url.getPort() > 0 ? ":" + port : "") + "\r\n"
                        + "User-Agent: slapgrid-master\r\n"
                        + "Content-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n"
                        + EVENT_HEADER + ": " + event + "\r\n"
                        + SIGNATURE_HEADER + ": " + sig + "\r\n"
                        + "Connection: close\r\n\r\n";
                OutputStream out = c.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return status(c, deadline);
            }
        } finally {
            raw.close();
        }
    }

    /** Reads the status line within the deadline and at most {@link #MAX_RESPONSE} bytes; the rest is not read. */
    private static int status(Socket c, long deadline) throws IOException {
        InputStream in = c.getInputStream();
        StringBuilder line = new StringBuilder();
        int read = 0;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s");
            }
            c.setSoTimeout((int) Math.max(1, left));
            int b = in.read();
            if (b < 0 || ++read > MAX_RESPONSE) {
                throw new IOException(b < 0 ? "connection closed before an HTTP status line" : "answer too long");
            }
            if (b == '\n') {
                break;
            }
            line.append((char) b);
        }
        String[] parts = line.toString().strip().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new IOException("not an HTTP answer");
        }
        return Integer.parseInt(parts[1]);
    }

    private static SSLContext sslContext() throws IOException {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IOException("TLS is not available", e);
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
