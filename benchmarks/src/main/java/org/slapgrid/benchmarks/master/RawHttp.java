package org.slapgrid.benchmarks.master;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket: the fleet benchmark's load generator.
 * Java's HttpClient costs more CPU per request than nginx spends answering one, and client and
 * servers share the machine's two cores: a lean client is the only way the ratio between the
 * master and nginx says something about the servers. Requests are pre-encoded bytes; the answer
 * is read whole (Content-Length or chunked) and kept. Reconnects when the server closed.
 */
final class RawHttp implements AutoCloseable {
    private final String host;
    private final int port;
    private final int readTimeoutMs;
    private volatile boolean shutDown;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** The last answer's status, ETag (null if none) and body. */
    int status;
    String etag;
    byte[] body = new byte[0];

    RawHttp(String host, int port, int readTimeoutMs) {
        this.host = host;
        this.port = port;
        this.readTimeoutMs = readTimeoutMs;
    }

    static byte[] get(String hostPort, String path, String token, String ifNoneMatch) {
        StringBuilder b = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(hostPort)
                .append("\r\nAuthorization: Bearer ").append(token).append("\r\nAccept: application/json\r\n");
        if (ifNoneMatch != null) {
            b.append("If-None-Match: ").append(ifNoneMatch).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one request and reads its whole answer; one retry on a fresh connection if the old one was closed. */
    int send(byte[] request) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (socket == null) {
                    connect();
                }
                out.write(request);
                out.flush();
                readResponse();
                return status;
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void connect() throws IOException {
        if (shutDown) {
            throw new IOException("shut down");
        }
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(readTimeoutMs);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    private void readResponse() throws IOException {
        String statusLine = line();
        if (statusLine.isEmpty()) {
            throw new IOException("connection closed");
        }
        status = Integer.parseInt(statusLine.substring(9, 12));
        etag = null;
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "etag" -> etag = value;
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        if (status == 304 || status == 204) {
            body = new byte[0];
        } else if (chunked) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                all.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
            body = all.toByteArray();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("connection closed in the body");
            }
        } else {
            body = in.readAllBytes();
            close = true;
        }
        if (close) {
            close();
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
        if (b.length() == 0) {
            return "";
        }
        throw new IOException("connection closed in a header");
    }

    /** From another thread: ends a request in progress and any later one. */
    void shutDown() {
        shutDown = true;
        close();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        socket = null;
    }
}
