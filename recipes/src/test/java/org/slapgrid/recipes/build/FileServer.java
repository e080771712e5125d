package org.slapgrid.recipes.build;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Serves byte arrays over HTTP on 127.0.0.1, counting requests. */
final class FileServer implements AutoCloseable {

    private final HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    /** How many of the next answers break off after half of the file, as a reset connection does. */
    final AtomicInteger brokenAnswers = new AtomicInteger();

    FileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] data = files.get(exchange.getRequestURI().getPath());
            if (data == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (brokenAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                exchange.sendResponseHeaders(200, data.length);
                OutputStream out = exchange.getResponseBody();
                out.write(data, 0, data.length / 2);
                out.flush();
                exchange.close(); // fewer bytes than announced: the client sees the connection closed
                return;
            } else {
                exchange.sendResponseHeaders(200, data.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(data);
                }
            }
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
