package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.AccountUpdate;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.NodeSummary;
import org.slapgrid.slap.model.SupplyState;

/**
 * The master among several users, driven over HTTP as a plain user would: who may register and
 * use nodes, quotas, the admin's node verbs, bounded input and bounded growth (issue 11).
 */
class MultiUserApiTest {
    static final String SR = "https://example.org/sr/software.cfg";

    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    SlapClient node1;
    String node1Secret;
    String bobToken;
    SlapClient bob;

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200)));
        admin = m.admin();
        node1Secret = admin.registerNode("n1", List.of("slappart0", "slappart1")).secret();
        node1 = m.client(node1Secret);
        admin.supply(SR, "n1", SupplyState.AVAILABLE);
        bobToken = admin.createUserToken("bob", false).token();
        bob = m.client(bobToken);
    }

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void registeringANodeIsRefusedUnlessTheAdminAllowsIt() throws Exception {
        assertError(m.raw("POST", "/api/v1/nodes", bobToken, "{\"id\":\"bobs-node\",\"partitions\":[\"slappart0\"]}"),
                403, "forbidden");
        assertThat(admin.nodes()).extracting(NodeSummary::id).containsExactly("n1");

        admin.updateUser("bob", new AccountUpdate(true, null));
        assertThat(m.raw("POST", "/api/v1/nodes", bobToken, "{\"id\":\"bobs-node\",\"partitions\":[\"slappart0\"]}")
                .statusCode()).isEqualTo(201);
        assertThat(admin.nodes()).filteredOn(n -> n.id().equals("bobs-node")).singleElement()
                .satisfies(n -> assertThat(n.owner()).isEqualTo("bob"));
        assertThat(bob.nodes()).extracting(NodeSummary::id).as("bob sees his node, not the admin's").containsExactly("bobs-node");

        admin.updateUser("bob", new AccountUpdate(false, null));
        assertError(m.raw("POST", "/api/v1/nodes", bobToken, "{\"id\":\"another\"}"), 403, "forbidden");
    }

    @Test
    void theAdminsRequestNeverLandsOnAUsersNode() throws Exception {
        admin.updateUser("bob", new AccountUpdate(true, null));
        // The attack of issue 11: a node named to sort first, with the admin's release supplied.
        SlapClient bobsNode = m.client(bob.registerNode("0-first", List.of("slappart0", "slappart1", "slappart2")).secret());
        bob.supply(SR, "0-first", SupplyState.AVAILABLE);

        Instance a = admin.request(InstanceRequest.of("admin-db", SR, Map.of("password", "admins-secret")));
        Instance b = admin.request(InstanceRequest.of("admin-web", SR, Map.of()));
        assertThat(List.of(a.node(), b.node())).containsOnly("n1");
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, "{\"name\":\"third\",\"softwareUrl\":\"" + SR + "\"}"),
                409, "no_free_partition");
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken,
                "{\"name\":\"third\",\"softwareUrl\":\"" + SR + "\",\"filter\":{\"node\":\"0-first\"}}"), 400, "bad_filter");
        assertThat(bobsNode.nodeInfo("0-first").partitions()).allSatisfy(p -> assertThat(p.instance()).isNull());
        assertThat(bobsNode.nodeInfo("0-first").toString()).doesNotContain("admins-secret");

        // Nor may bob choose the admin's node or partition.
        assertError(m.raw("POST", "/api/v1/instances", bobToken,
                "{\"name\":\"mine\",\"softwareUrl\":\"" + SR + "\",\"filter\":{\"node\":\"n1\"}}"), 400, "bad_filter");
        Instance mine = bob.request(new InstanceRequest("mine", SR, null, null, null, false, Map.of("partition", "slappart1")));
        assertThat(mine.node()).isEqualTo("0-first");
        assertThat(mine.partition()).isEqualTo("slappart1");

        // A shared instance is never hosted on another user's node either.
        assertThatThrownBy(() -> admin.request(new InstanceRequest("tenant", SR, null, null, null, true, Map.of("node", "0-first"))))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.code()).isEqualTo("no_host"));
    }

    @Test
    void aUsersPartitionsHaveAQuota() throws Exception {
        admin.shareNode("n1", "*");
        admin.updateUser("bob", new AccountUpdate(null, 1L));
        bob.request(InstanceRequest.of("one", SR, Map.of()));
        assertError(m.raw("POST", "/api/v1/instances", bobToken, "{\"name\":\"two\",\"softwareUrl\":\"" + SR + "\"}"),
                409, "quota_exceeded");
        assertThat(bob.user("bob").partitionsUsed()).isEqualTo(1);
        admin.updateUser("bob", new AccountUpdate(null, -1L));
        assertThat(bob.request(InstanceRequest.of("two", SR, Map.of())).partition()).isNotNull();
    }

    @Test
    void theAdminListsDisablesAndDeletesNodes() throws Exception {
        SlapClient node2 = m.client(admin.registerNode("n2", List.of("slappart0")).secret());
        admin.supply(SR, "n2", SupplyState.AVAILABLE);
        assertError(m.raw("PATCH", "/api/v1/nodes/n2", bobToken, "{\"disabled\":true}"), 404, "unknown_node");
        assertThat(admin.setNodeDisabled("n2", true).disabled()).isTrue();
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken,
                "{\"name\":\"x\",\"softwareUrl\":\"" + SR + "\",\"filter\":{\"node\":\"n2\"}}"), 400, "bad_filter");
        admin.setNodeDisabled("n2", false);
        Instance there = admin.request(new InstanceRequest("there", SR, null, null, null, false, Map.of("node", "n2")));
        Instance child = m.client(node2.issueInstanceSecret("n2", there.partition()).secret())
                .requestChild(new InstanceRequest("child", SR, null, null, null, false, Map.of("node", "n1")));

        assertError(m.raw("DELETE", "/api/v1/nodes/n2", bobToken, null), 403, "forbidden");
        var deleted = admin.deleteNode("n2");
        assertThat(deleted.instances()).isEqualTo(1);
        assertThat(admin.nodes()).extracting(NodeSummary::id).containsExactly("n1");
        assertThatThrownBy(() -> node2.nodeInfo("n2")).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).as("its secret is revoked").isEqualTo(401));
        assertThat(admin.list()).extracting(Instance::name, Instance::requestedState)
                .as("the child elsewhere is destroyed, not orphaned").containsExactly(
                        org.assertj.core.groups.Tuple.tuple("child", org.slapgrid.slap.model.RequestedState.DESTROYED));
        assertThat(child.node()).isEqualTo("n1");
    }

    @Test
    void tokensAreListedByIdAndRevokedAtOnce() throws Exception {
        var created = admin.createUserToken("carol", false);
        SlapClient carol = m.client(created.token());
        assertThat(carol.list()).isEmpty();
        assertThat(admin.tokens("user")).extracting(t -> t.subject()).contains("admin", "bob", "carol");
        assertThat(m.raw("GET", "/api/v1/tokens", m.adminToken, null).body()).doesNotContain(created.token());
        assertThat(bob.tokens(null)).extracting(t -> t.subject()).as("a user sees its own tokens only").containsOnly("bob");
        assertError(m.raw("DELETE", "/api/v1/tokens/" + created.id(), bobToken, null), 404, "unknown_token");
        String adminId = admin.tokens("user").stream().filter(t -> t.admin()).findFirst().orElseThrow().id();
        assertError(m.raw("DELETE", "/api/v1/tokens/" + adminId, m.adminToken, null), 409, "last_admin_token");
        admin.revokeToken(created.id());
        assertThatThrownBy(carol::list).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aDeepParameterIsRefusedAndTheAdminsListAndTheNodeDocumentStayUp() throws Exception {
        admin.shareNode("n1", "bob");
        node1.reportFormat("n1", List.of("slappart0", "slappart1", "slappart2"));
        admin.request(InstanceRequest.of("admins", SR, Map.of("k", "v")));
        var deep = m.raw("POST", "/api/v1/instances", bobToken, "{\"name\":\"deep\",\"softwareUrl\":\"" + SR
                + "\",\"parameters\":" + nested(998) + "}");
        assertError(deep, 422, "limit_exceeded");
        assertThat(deep.body()).contains("parameters.maxDepth");
        assertError(m.raw("POST", "/api/v1/instances", bobToken, "{\"name\":\"deeper\",\"softwareUrl\":\"" + SR
                + "\",\"parameters\":" + nested(5000) + "}"), 422, "limit_exceeded");
        assertError(m.raw("POST", "/api/v1/instances", bobToken, "{\"name\":\"key\",\"softwareUrl\":\"" + SR
                + "\",\"parameters\":{\"" + "k".repeat(300) + "\":1}}"), 422, "limit_exceeded");
        assertError(m.raw("POST", "/api/v1/instances", bobToken, "{\"name\":\"big\",\"softwareUrl\":\"" + SR
                + "\",\"parameters\":{\"k\":\"" + "v".repeat(200_000) + "\"}}"), 422, "limit_exceeded");
        assertThat(m.raw("GET", "/api/v1/instances", m.adminToken, null).statusCode()).isEqualTo(200);
        assertThat(m.raw("GET", "/api/v1/nodes/n1", nodeSecret(), null).statusCode()).isEqualTo(200);

        // A row stored before these bounds (or damaged): the lists and the document still answer.
        bob.request(InstanceRequest.of("old", SR, Map.of()));
        m.master.database().transaction(c -> Sql.update(c, "UPDATE instance SET parameters = ? WHERE name = 'old'", nested(998)));
        admin.request(InstanceRequest.of("broken", SR, Map.of()));
        m.master.database().transaction(c -> Sql.update(c,
                "UPDATE instance SET connection_params = '{\"a\":', requested_state = 'Started' WHERE name = 'broken'"));
        var list = m.raw("GET", "/api/v1/instances", m.adminToken, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"admins\"").contains("the master cannot read this instance's stored parameters");
        m.master.database().transaction(c -> Sql.update(c, "UPDATE supply SET requested_state = 'Available' WHERE node_id = 'n1'"));
        var document = m.raw("GET", "/api/v1/nodes/n1", nodeSecret(), null);
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).contains("\"admins\"").contains("cannot read this supply's requested state");
        assertThat(bob.remove("old").requestedState()).isEqualTo(org.slapgrid.slap.model.RequestedState.DESTROYED);
        assertThat(admin.remove("broken").name()).isEqualTo("broken");
    }

    @Test
    void aSupplyTheNodeCannotParseIsRefusedAndARemovalNever() throws Exception {
        assertError(m.raw("POST", "/api/v1/supplies", m.adminToken, "{\"url\":\"ftp://h/software.cfg\",\"node\":\"n1\"}"),
                400, "invalid_request");
        assertError(m.raw("POST", "/api/v1/supplies", m.adminToken, "{\"url\":\"git+https://h/r#main:../x.cfg\",\"node\":\"n1\"}"),
                400, "invalid_request");
        assertThat(m.raw("POST", "/api/v1/supplies", m.adminToken,
                "{\"url\":\"ftp://h/software.cfg\",\"node\":\"n1\",\"state\":\"destroyed\"}").statusCode()).isEqualTo(204);
        assertError(m.raw("POST", "/api/v1/supplies", m.adminToken,
                "{\"url\":\"" + SR + "\",\"node\":\"n1\",\"state\":\"Destroyed\"}"), 400, "bad_json");
    }

    @Test
    void aThousandBangsInASecondAreRateLimitedAndTheDatabaseStaysBounded() throws Exception {
        Instance i = admin.request(InstanceRequest.of("noisy", SR, Map.of()));
        String secret = node1.issueInstanceSecret("n1", i.partition()).secret();
        long before = databaseBytes();
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"message\":\"" + "x".repeat(20_000) + "\"}"; // past the 8 KiB a bang keeps
        HttpRequest bang = HttpRequest.newBuilder(URI.create(m.master.url() + "api/v1/instance/bang"))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int n = 0; n < 1000; n++) {
            sent.add(senders.submit(() -> http.send(bang, HttpResponse.BodyHandlers.ofString())));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> f : sent) {
            answers.add(f.get());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        senders.shutdown();
        System.out.println("1000 bangs sent in " + took.toMillis() + " ms");
        long accepted = answers.stream().filter(r -> r.statusCode() == 204).count();
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(accepted + limited.size()).as("every bang answered 204 or 429").isEqualTo(1000);
        // The burst, plus one per 6 s for as long as the thousand took to send.
        assertThat(accepted).isBetween(1L, 10L + 1 + took.toSeconds() / 6);
        assertThat(limited.get(0).headers().firstValue("Retry-After")).hasValueSatisfying(s ->
                assertThat(Long.parseLong(s)).isBetween(1L, 6L));
        assertThat(limited.get(0).body()).contains("rate_limited");
        long stored = m.master.database().read(c -> Sql.one(c, "SELECT COUNT(*) FROM bang", rs -> rs.getLong(1))).orElseThrow();
        assertThat(stored).isEqualTo(accepted);
        long grown = databaseBytes() - before;
        // docs/security.md: an instance's bangs hold at most 50 x 8 KiB; a thousand refused ones add nothing.
        assertThat(grown).as("database growth in bytes").isLessThan(1024 * 1024);

        // Changing publications likewise; unchanged ones are free.
        SlapClient self = m.client(secret);
        int published = 0;
        for (int n = 0; n < 40; n++) {
            try {
                self.publish(Map.of("n", n));
                published++;
            } catch (SlapException e) {
                assertThat(e.status()).isEqualTo(429);
            }
        }
        assertThat(published).isBetween(20, 22);
        assertError(m.raw("PUT", "/api/v1/instance/connection", secret, "{\"parameters\":{\"k\":\"" + "v".repeat(70_000)
                + "\"}}"), 422, "limit_exceeded");
    }

    /** The SQLite file and its write-ahead log. */
    private long databaseBytes() throws Exception {
        long total = 0;
        for (String f : List.of("master.db", "master.db-wal")) {
            Path p = tmp.resolve(f);
            total += Files.exists(p) ? Files.size(p) : 0;
        }
        return total;
    }

    private String nodeSecret() {
        return node1Secret;
    }

    static String nested(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{\"a\":1}" + "}".repeat(depth - 1);
    }

    static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"code\":\"" + code + "\"");
    }
}
