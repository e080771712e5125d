package org.slapgrid.slap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SoftwareState;

/**
 * The client's side of the wire, against a tiny HTTP server on 127.0.0.1 that records what it
 * receives and answers what each test sets (the master's own behaviour is tested in module master).
 */
class SlapClientTest {
    HttpServer server;
    final AtomicReference<String> seen = new AtomicReference<>();
    volatile int status = 200;
    volatile String answer = "{}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.set(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " auth=" + ex.getRequestHeaders().getFirst("Authorization")
                    + " body=" + body);
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, status == 204 ? -1 : out.length);
            if (status != 204) {
                ex.getResponseBody().write(out);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    SlapClient client() {
        return SlapClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).token("sgn_secret")
                .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void sendsTheTokenLowerCaseEnumsAndEncodedPathSegments() {
        status = 204;
        client().reportSoftware("node one", "https://x/sr.cfg", SoftwareState.BUILDING, null);
        assertThat(seen.get()).startsWith("POST /api/v1/nodes/node%20one/software auth=Bearer sgn_secret")
                .contains("\"state\":\"building\"");
        status = 201;
        answer = "{\"id\":\"i1\",\"name\":\"a/b\",\"requestedState\":\"stopped\",\"timestamp\":7,\"futureField\":true}";
        var i = client().request(new InstanceRequest("a/b", "u", null, null, RequestedState.STOPPED, false, null));
        assertThat(seen.get()).contains("\"state\":\"stopped\"");
        assertThat(i.requestedState()).isEqualTo(RequestedState.STOPPED);
        assertThat(i.timestamp()).isEqualTo(7);
        status = 200;
        answer = "{\"id\":\"i1\",\"name\":\"a/b\"}";
        client().info("a/b");
        assertThat(seen.get()).startsWith("GET /api/v1/instances/a%2Fb ");
    }

    @Test
    void errorsCarryTheMastersCodeOrAnHonestFallback() {
        status = 409;
        answer = "{\"code\":\"no_free_partition\",\"message\":\"no free partition\"}";
        assertThatThrownBy(() -> client().request(InstanceRequest.of("a", "u", java.util.Map.of())))
                .isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("no_free_partition");
                    assertThat(e.getMessage()).isEqualTo("no free partition");
                });
        status = 502;
        answer = "<html>bad gateway</html>";
        assertThatThrownBy(() -> client().list()).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.code()).isEqualTo("http_502"));
        status = 200;
        answer = "not json";
        assertThatThrownBy(() -> client().list()).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.code()).isEqualTo("bad_answer"));
    }

    @Test
    void aLongPollAnsweredWith304IsEmpty() {
        status = 304;
        answer = "";
        assertThat(client().nodeInfo("n1", 12, Duration.ofSeconds(1))).isEmpty();
        assertThat(seen.get()).startsWith("GET /api/v1/nodes/n1 ");
    }

    @Test
    void anUnreachableMasterIsAnIoError() {
        int port = server.getAddress().getPort();
        server.stop(0);
        SlapClient c = SlapClient.builder(URI.create("http://127.0.0.1:" + port)).token("t").timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> c.nodes()).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.code()).isEqualTo("io");
            assertThat(e.getMessage()).contains("cannot reach the master");
        });
    }

    @Test
    void secretsStayOutOfToStringAndBadTrustFilesAreNamed(@TempDir Path tmp) throws Exception {
        assertThat(new org.slapgrid.slap.model.NodeCredentials("n1", "sgn_abc").toString()).doesNotContain("sgn_abc");
        assertThat(new org.slapgrid.slap.model.InstanceSecret("i1", "sgi_abc").toString()).doesNotContain("sgi_abc");
        Path bad = tmp.resolve("ca.pem");
        Files.writeString(bad, "not a certificate");
        assertThatThrownBy(() -> Tls.trusting(bad, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.toString());
        assertThat(List.of(RequestedState.parse("started"), RequestedState.parse("stopped")))
                .containsExactly(RequestedState.STARTED, RequestedState.STOPPED);
        assertThatThrownBy(() -> RequestedState.parse("STARTED")).as("enumerations are case-sensitive")
                .hasMessageContaining("'STARTED' is not one of started, stopped, destroyed");
        assertThatThrownBy(() -> RequestedState.parse("sleeping")).hasMessageContaining("started, stopped, destroyed");
    }
}
