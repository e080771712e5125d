package org.slapgrid.master.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook SSRF guard: which addresses are internal, what --webhook-allow lets through, and
 * that a send resolves once and connects to the address it checked (a name no DNS knows, mapped
 * by the test's resolver to 127.0.0.1, is delivered there: the name was never looked up again).
 */
class WebhookGuardTest {
    HttpServer server;
    final List<String> hosts = new CopyOnWriteArrayList<>();
    final AtomicInteger hits = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            hits.incrementAndGet();
            hosts.add(ex.getRequestHeaders().getFirst("Host"));
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.createContext("/redirect", ex -> {
            hits.incrementAndGet();
            ex.getResponseHeaders().add("Location", "/hook");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/big", ex -> {
            hits.incrementAndGet();
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(new byte[1 << 20]);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** A literal address (no lookup). */
    static InetAddress ip(String literal) throws java.net.UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void internalAddressesAreNamedAndPublicOnesPass() throws Exception {
        for (String[] c : new String[][] {{"127.0.0.1", "loopback"}, {"127.9.9.9", "loopback"}, {"::1", "loopback"},
                {"10.1.2.3", "private"}, {"172.16.0.1", "private"}, {"172.31.255.255", "private"}, {"192.168.1.1", "private"},
                {"100.64.0.1", "private: shared"}, {"fc00::1", "private: unique local"}, {"fd12:3456::1", "private: unique local"},
                {"169.254.169.254", "link-local"}, {"fe80::1", "link-local"}, {"224.0.0.1", "multicast"}, {"ff02::1", "multicast"},
                {"0.0.0.0", "unspecified"}, {"::", "unspecified"}, {"0.1.2.3", "unspecified"}, {"255.255.255.255", "broadcast"},
                {"::ffff:127.0.0.1", "loopback"}, {"::ffff:169.254.169.254", "link-local"}, {"64:ff9b::10.0.0.1", "private"}}) {
            assertThat(WebhookGuard.internal(ip(c[0]))).as(c[0]).hasValueSatisfying(w -> assertThat(w).contains(c[1]));
        }
        for (String pub : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "64:ff9b::808:808")) {
            assertThat(WebhookGuard.internal(ip(pub))).as(pub).isEmpty();
        }
    }

    @Test
    void everyResolvedAddressMustPassUnlessAllowed() throws Exception {
        WebhookGuard none = new WebhookGuard(List.of(), h -> new InetAddress[] {ip("93.184.216.34"), ip("10.0.0.5")});
        assertThat(none.check("mixed.example").refusal())
                .isEqualTo("host mixed.example resolves to 10.0.0.5 (private), not in the master's --webhook-allow (none)");
        WebhookGuard allowed = new WebhookGuard(List.of(Cidr.parse("10.0.0.0/24")), h -> new InetAddress[] {ip("10.0.0.5")});
        assertThat(allowed.check("internal.example").address()).isEqualTo(ip("10.0.0.5"));
        WebhookGuard narrow = new WebhookGuard(List.of(Cidr.parse("127.0.0.1/32")), h -> new InetAddress[] {ip("127.0.0.2")});
        assertThat(narrow.check("127.0.0.2").refusal()).contains("127.0.0.2 (loopback)", "[127.0.0.1/32]");
        assertThat(new WebhookGuard(List.of(), h -> {
            throw new java.net.UnknownHostException(h);
        }).check("nowhere.invalid").refusal()).isEqualTo("host nowhere.invalid does not resolve");
        assertThat(WebhookGuard.system(List.of()).check("[::1]").refusal()).contains("::1", "loopback");
    }

    @Test
    void cidrsParseAndContain() throws Exception {
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("172.16.0.0/12").contains(ip("172.31.0.1"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(ip("172.32.0.1"))).isFalse();
        assertThat(Cidr.parse("127.0.0.1").contains(ip("127.0.0.1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(ip("fd12::1"))).isTrue();
        assertThat(Cidr.parse("fd00::/8").contains(ip("10.0.0.1"))).isFalse();
        assertThatThrownBy(() -> Cidr.parse("example.org/8")).hasMessageContaining("is not an address range");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length must be 0-32 (got 33)");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("prefix length must be a number");
    }

    /** Posts and waits for the outcome. */
    String[] post(Webhooks w, String url) {
        String[] out = new String[2];
        w.post(url, "secret", "lifecycle.termination", "{}", (r, what) -> {
            out[1] = what;
            out[0] = r.name();
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> out[0] != null);
        return out;
    }

    @Test
    void aSendConnectsToTheAddressItCheckedAndNeverResolvesAgain() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        WebhookGuard g = new WebhookGuard(List.of(Cidr.parse("127.0.0.1/32")), h -> {
            lookups.incrementAndGet();
            // a rebinding name: the first answer is the checked one; any later one would be internal and refused
            return new InetAddress[] {lookups.get() == 1 ? ip("127.0.0.1") : ip("169.254.169.254")};
        });
        int port = server.getAddress().getPort();
        try (Webhooks w = new Webhooks(g)) {
            String[] r = post(w, "http://hook.rebind.invalid:" + port + "/hook");
            assertThat(r[0]).as(r[1]).isEqualTo("DELIVERED");
            assertThat(r[1]).isEqualTo("HTTP 204 after 1 attempt");
        }
        assertThat(lookups).as("resolved once").hasValue(1);
        assertThat(hosts).containsExactly("hook.rebind.invalid:" + port);
    }

    @Test
    void refusedRedirectedAndLongAnswersAreBounded() throws Exception {
        int port = server.getAddress().getPort();
        try (Webhooks w = new Webhooks(WebhookGuard.system(List.of()))) {
            String[] r = post(w, "http://127.0.0.1:" + port + "/hook");
            assertThat(r[0]).isEqualTo("REFUSED");
            assertThat(r[1]).isEqualTo("refused: host 127.0.0.1 resolves to 127.0.0.1 (loopback), not in the master's"
                    + " --webhook-allow (none); not sent");
            assertThat(hits).as("nothing reached the server").hasValue(0);
        }
        try (Webhooks w = new Webhooks(WebhookGuard.system(List.of(Cidr.parse("127.0.0.1/32"))))) {
            String[] r = post(w, "http://127.0.0.1:" + port + "/redirect");
            assertThat(r[0]).isEqualTo("FAILED");
            assertThat(r[1]).isEqualTo("HTTP 302 (redirects are not followed) after 1 attempt");
            assertThat(hits).as("the redirect's target was not asked").hasValue(1);
            assertThat(hosts).isEmpty();
            long t0 = System.nanoTime();
            assertThat(post(w, "http://127.0.0.1:" + port + "/big")[0]).as("1 MiB answer, only its status line read")
                    .isEqualTo("DELIVERED");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        }
        URI u = URI.create("http://127.0.0.1:" + port + "/hook");
        assertThat(u.getHost()).isEqualTo("127.0.0.1");
    }
}
