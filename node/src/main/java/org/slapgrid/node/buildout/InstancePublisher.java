package org.slapgrid.node.buildout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.slapgrid.buildout.spi.PlainJson;
import org.slapgrid.recipes.slap.SlapInstanceException;

/**
 * The publish call of a partition's buildout ({@code PUT api/v1/instance/connection}, the
 * instance's own secret), with the JDK's {@link HttpURLConnection} and jackson-core's streaming
 * writer: the call nearly every changed partition makes. Through {@code SlapClient} it built a
 * {@code java.net.http.HttpClient} and a databind mapper, three quarters of that JVM's time; the
 * body is {@code SlapClient.publish}'s ({@code {"parameters": {...}}}, InstancePublisherTest
 * checks it against the protocol's mapper), and an error answer is the master's
 * {@code {"code", "message"}}.
 */
final class InstancePublisher {

    private final URI endpoint;
    private final String secret;
    private final Duration timeout;

    InstancePublisher(URI master, String secret, Duration timeout) {
        String base = master.toString();
        this.endpoint = URI.create(base.endsWith("/") ? base : base + "/").resolve("api/v1/instance/connection");
        this.secret = secret;
        this.timeout = timeout;
    }

    /** The request body for these connection parameters. */
    static String body(Map<String, String> connection) {
        return PlainJson.write(Map.of("parameters", connection));
    }

    void publish(Map<String, String> connection) {
        byte[] body = body(connection).getBytes(StandardCharsets.UTF_8);
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setRequestMethod("PUT");
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "application/json");
            c.setRequestProperty("Authorization", "Bearer " + secret);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            if (status >= 400) {
                throw new SlapInstanceException("the master answered " + status + error(c.getErrorStream()));
            }
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
        } catch (IOException e) {
            throw new SlapInstanceException("cannot reach the master at " + endpoint.resolve("/") + ": " + e.getMessage(), e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /** The master's error answer ({@code code}: {@code message}), or nothing if it is not one. */
    private static String error(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        String text;
        try (in) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (PlainJson.parse(text) instanceof Map<?, ?> m && m.get("code") != null) {
                return " (" + m.get("code") + "): " + m.get("message");
            }
        } catch (JsonProcessingException e) {
            // not the master's JSON (a proxy's page): the status says enough
        }
        return "";
    }
}
