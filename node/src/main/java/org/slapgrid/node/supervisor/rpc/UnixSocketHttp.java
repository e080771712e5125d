package org.slapgrid.node.supervisor.rpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 POST over a UNIX domain socket, enough to talk to supervisord's Medusa server.
 *
 * <p>Hand-written: supervisord's only safe transport is its 0700 UNIX socket, which the JDK's
 * HttpClient cannot connect to. Jetty's HttpClient can ({@code ClientConnector.forUnixDomain}),
 * but it would bring jetty-client and its thread pool into every node for one request shape (a
 * POST of a small XML-RPC body, read whole); this class does that and no more. Every
 * call has a deadline, since a hung supervisord must not hang the node; a UNIX SocketChannel has
 * no SO_TIMEOUT, so a shared timer closes the channel at the deadline, which unblocks the read.
 * (A selector per call gave the same deadline but was ten times slower: milliseconds per call.)
 */
final class UnixSocketHttp {
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "supervisor-rpc-deadline");
        t.setDaemon(true);
        return t;
    });

    private final Path socket;
    private final Duration timeout;

    UnixSocketHttp(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Path socket() {
        return socket;
    }

    /** Posts {@code body} to {@code uri} and returns the response body of a 200 answer. */
    byte[] post(String uri, String contentType, byte[] body) throws IOException {
        byte[] head = ("POST " + uri + " HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(channel), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                return exchange(channel, ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip());
            } catch (ClosedChannelException e) {
                throw new IOException("no answer from " + socket + " within " + timeout.toMillis() + " ms", e);
            } finally {
                deadline.cancel(false);
            }
        }
    }

    private byte[] exchange(SocketChannel channel, ByteBuffer out) throws IOException {
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(4096);
        ByteBuffer in = ByteBuffer.allocate(16384);
        while (channel.read(in) >= 0) {
            raw.write(in.array(), 0, in.position());
            in.clear();
            byte[] complete = HttpResponse.bodyIfComplete(raw.toByteArray());
            if (complete != null) {
                return complete;
            }
        }
        byte[] complete = HttpResponse.bodyAtEof(raw.toByteArray());
        if (complete == null) {
            throw new IOException("connection to " + socket + " closed before a full HTTP response");
        }
        return complete;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing only to unblock the caller
        }
    }

    /** Minimal response parsing: status line, Content-Length, chunked, or read-to-EOF bodies. */
    static final class HttpResponse {
        private HttpResponse() {
        }

        static byte[] bodyIfComplete(byte[] raw) throws IOException {
            int headEnd = headerEnd(raw);
            if (headEnd < 0) {
                return null;
            }
            String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
            checkStatus(head);
            long length = contentLength(head);
            int bodyStart = headEnd + 4;
            if (length >= 0) {
                return raw.length - bodyStart >= length ? slice(raw, bodyStart, (int) length) : null;
            }
            if (isChunked(head)) {
                return dechunk(raw, bodyStart);
            }
            return null; // body delimited by the end of the connection
        }

        static byte[] bodyAtEof(byte[] raw) throws IOException {
            byte[] complete = bodyIfComplete(raw);
            if (complete != null) {
                return complete;
            }
            int headEnd = headerEnd(raw);
            if (headEnd < 0) {
                return null;
            }
            String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
            if (contentLength(head) >= 0 || isChunked(head)) {
                return null; // truncated
            }
            return slice(raw, headEnd + 4, raw.length - headEnd - 4);
        }

        private static void checkStatus(String head) throws IOException {
            String statusLine = head.lines().findFirst().orElse("");
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[1].equals("200")) {
                throw new IOException("supervisord answered '" + statusLine + "'");
            }
        }

        private static long contentLength(String head) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    return Long.parseLong(line.substring(colon + 1).trim());
                }
            }
            return -1;
        }

        private static boolean isChunked(String head) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Transfer-Encoding")) {
                    return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT).contains("chunked");
                }
            }
            return false;
        }

        /** Returns the de-chunked body once the terminating 0-size chunk is in, else null. */
        private static byte[] dechunk(byte[] raw, int pos) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int lineEnd = indexOf(raw, pos, new byte[] {'\r', '\n'});
                if (lineEnd < 0) {
                    return null;
                }
                String sizeText = new String(raw, pos, lineEnd - pos, StandardCharsets.US_ASCII);
                int semi = sizeText.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semi >= 0 ? sizeText.substring(0, semi) : sizeText).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size '" + sizeText + "'");
                }
                int dataStart = lineEnd + 2;
                if (size == 0) {
                    return body.toByteArray();
                }
                if (raw.length < dataStart + size + 2) {
                    return null;
                }
                body.write(raw, dataStart, size);
                pos = dataStart + size + 2;
            }
        }

        private static int headerEnd(byte[] raw) {
            return indexOf(raw, 0, new byte[] {'\r', '\n', '\r', '\n'});
        }

        private static int indexOf(byte[] raw, int from, byte[] needle) {
            outer:
            for (int i = from; i <= raw.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (raw[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        private static byte[] slice(byte[] raw, int from, int length) {
            byte[] out = new byte[length];
            System.arraycopy(raw, from, out, 0, length);
            return out;
        }
    }
}
