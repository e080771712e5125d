package org.slapgrid.node.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy in front of a test's master that counts what goes through it, by method: the
 * node's reports are counted where the master receives them, not where the node thinks it sent them.
 */
final class CountingProxy implements AutoCloseable {

    private static final List<String> HOP_BY_HOP = List.of("connection", "content-length", "host", "transfer-encoding",
            "upgrade", "keep-alive", "expect");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final java.util.List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long lastWriteNanos = System.nanoTime();

    CountingProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(PartitionQueue.daemonThreads("proxy")));
        server.createContext("/", this::forward);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** How many requests of this method went through since the last {@link #reset}. */
    int count(String method) {
        AtomicInteger n = counts.get(method);
        return n == null ? 0 : n.get();
    }

    /** The requests other than GET since the last {@link #reset}: method, path and the start of the body, for a failure's message. */
    java.util.List<String> writes() {
        return java.util.List.copyOf(writes);
    }

    /** How long ago the last request other than GET went through (since this proxy started if none did). */
    Duration sinceLastWrite() {
        return Duration.ofNanos(System.nanoTime() - lastWriteNanos);
    }

    void reset() {
        counts.clear();
        writes.clear();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            counts.computeIfAbsent(ex.getRequestMethod(), k -> new AtomicInteger()).incrementAndGet();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                lastWriteNanos = System.nanoTime();
                String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                writes.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + text.substring(0, Math.min(400, text.length())));
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString().substring(1)))
                    .timeout(Duration.ofSeconds(90))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            HttpResponse<byte[]> r;
            try {
                r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            }
            r.headers().map().forEach((k, vs) -> {
                if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
            byte[] out = r.body();
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
