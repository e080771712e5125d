package org.slapgrid.node.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.recipes.slap.SlapInstanceException;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.ConnectionParameters;

class InstancePublisherTest {

    record Seen(String method, String path, String authorization, String contentType, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer server;

    private URI serve(int status, String answer) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/master");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theBodyIsTheProtocolsConnectionParameters() throws Exception {
        Map<String, String> connection = Map.of("url", "http://[fd00::1]:80/é", "password", "p\"w\n", "empty", "");
        Object ours = Json.lenient().readValue(InstancePublisher.body(connection), Object.class);
        Object protocol = Json.lenient().readValue(Json.lenient().writeValueAsString(
                new ConnectionParameters(new TreeMap<>(connection))), Object.class);
        assertThat(ours).isEqualTo(protocol);
    }

    @Test
    void publishesWithTheInstanceSecret() throws Exception {
        URI master = serve(204, "");
        new InstancePublisher(master, "s3cret", Duration.ofSeconds(10)).publish(Map.of("b", "2", "a", "1"));
        assertThat(seen).containsExactly(new Seen("PUT", "/master/api/v1/instance/connection", "Bearer s3cret",
                "application/json", "{\"parameters\":{\"a\":\"1\",\"b\":\"2\"}}"));
    }

    @Test
    void anErrorAnswerIsAnErrorSayingTheMastersCodeAndMessage() throws Exception {
        URI master = serve(403, "{\"code\":\"forbidden\",\"message\":\"not your instance\"}");
        InstancePublisher publisher = new InstancePublisher(URI.create(master + "/"), "x", Duration.ofSeconds(10));
        assertThatThrownBy(() -> publisher.publish(Map.of("a", "1"))).isInstanceOf(SlapInstanceException.class)
                .hasMessage("the master answered 403 (forbidden): not your instance");
        assertThat(seen).extracting(Seen::path).containsExactly("/master/api/v1/instance/connection");
    }

    @Test
    void anUnreachableMasterIsAnErrorNamingIt() throws Exception {
        URI master = serve(204, "");
        server.stop(0);
        server = null;
        assertThatThrownBy(() -> new InstancePublisher(master, "x", Duration.ofSeconds(5)).publish(Map.of()))
                .isInstanceOf(SlapInstanceException.class).hasMessageContaining("cannot reach the master at " + master.resolve("/"));
    }
}
