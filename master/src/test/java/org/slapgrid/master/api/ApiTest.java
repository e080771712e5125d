package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceSecret;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.NodeCredentials;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SupplyState;

/** The HTTP API end to end: a real master, driven with the slap client and with raw HTTP for refusals. */
class ApiTest {
    static final String SR = "https://example.org/sr/software.cfg";

    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    SlapClient node1;
    SlapClient node2;
    String node1Secret;

    /** The master's configuration; a subclass runs every test on another database. */
    MasterConfig config() throws Exception {
        return MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200));
    }

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(config());
        admin = m.admin();
        NodeCredentials c1 = admin.registerNode("n1", List.of("slappart0", "slappart1", "slappart2"));
        NodeCredentials c2 = admin.registerNode("n2", List.of("slappart0"));
        node1Secret = c1.secret();
        node1 = m.client(c1.secret());
        node2 = m.client(c2.secret());
        admin.supply(SR, "n1", SupplyState.AVAILABLE);
        admin.supply(SR, "n2", SupplyState.AVAILABLE);
    }

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void theFirstStartWritesOneAdminTokenReadableOnlyByItsOwner() throws Exception {
        Path file = m.master.config().adminTokenFile();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(m.master.createdAdminToken()).contains(file);
        if (m.master.database().isSqlite()) {
            assertThat(Files.getPosixFilePermissions(tmp.resolve("master.db"))).as("parameters hold passwords")
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
        m.close();
        m = new MasterFixture(config());
        assertThat(m.master.createdAdminToken()).isEmpty();
        assertThat(m.adminToken).as("the token of the first start still works").isEqualTo(Files.readString(file).strip());
        assertThat(m.admin().nodes()).extracting(n -> n.id()).containsExactly("n1", "n2");
    }

    @Test
    void supplyRequestAllocateAndTheNodeSeesIt() {
        Instance i = admin.request(new InstanceRequest("web", SR, "default", Map.of("port", "8080"), null, false, Map.of("node", "n1")));
        assertThat(i.node()).isEqualTo("n1");
        assertThat(i.partition()).isEqualTo("slappart0");
        NodeInfo info = node1.nodeInfo("n1");
        assertThat(info.software()).singleElement().satisfies(s -> {
            assertThat(s.url()).isEqualTo(SR);
            assertThat(s.requestedState()).isEqualTo(SupplyState.AVAILABLE);
        });
        assertThat(info.partitions()).hasSize(3);
        Instance seen = info.partitions().get(0).instance();
        assertThat(seen.name()).isEqualTo("web");
        assertThat(seen.parameters()).containsEntry("port", "8080");
        assertThat(seen.rootName()).isEqualTo("web");

        node1.reportSoftware("n1", SR, SoftwareState.AVAILABLE, null);
        node1.reportInstance("n1", "slappart0", InstanceState.STARTED, null);
        node1.publishConnection("n1", "slappart0", Map.of("url", "http://127.0.0.1:8080"));
        Instance shown = admin.info("web");
        assertThat(shown.reportedState()).isEqualTo(InstanceState.STARTED);
        assertThat(shown.connectionParameters()).containsEntry("url", "http://127.0.0.1:8080");
        assertThat(admin.list()).extracting(Instance::name).containsExactly("web");
        assertThat(admin.nodes()).satisfiesExactly(
                n -> assertThat(n.lastContact()).as("n1 polled").isNotNull(),
                n -> assertThat(n.lastContact()).as("n2 never polled").isNull());
    }

    @Test
    void reRequestIsIdempotentAndUpdatesParameters() throws Exception {
        HttpResponse<String> first = m.raw("POST", "/api/v1/instances", m.adminToken,
                "{\"name\":\"db\",\"softwareUrl\":\"" + SR + "\",\"parameters\":{\"size\":\"1\"}}");
        assertThat(first.statusCode()).isEqualTo(201);
        HttpResponse<String> again = m.raw("POST", "/api/v1/instances", m.adminToken,
                "{\"name\":\"db\",\"softwareUrl\":\"" + SR + "\",\"parameters\":{\"size\":\"1\"}}");
        assertThat(again.statusCode()).isEqualTo(200);
        Instance before = admin.info("db");
        Instance updated = admin.request(InstanceRequest.of("db", SR, Map.of("size", "2")));
        assertThat(updated.id()).isEqualTo(before.id());
        assertThat(updated.parameters()).containsEntry("size", "2");
        assertThat(updated.timestamp()).isGreaterThan(before.timestamp());
        Instance stopped = admin.request(new InstanceRequest("db", SR, "default", Map.of("size", "2"), RequestedState.STOPPED, false, Map.of()));
        assertThat(stopped.requestedState()).isEqualTo(RequestedState.STOPPED);
        assertThat(node1.nodeInfo("n1").partitions().get(0).instance().requestedState()).isEqualTo(RequestedState.STOPPED);
    }

    @Test
    void instancesRequestChildrenPublishAndBangTheirTree() {
        Instance root = admin.request(new InstanceRequest("cluster", SR, null, null, null, false, Map.of("node", "n1")));
        InstanceSecret rootSecret = node1.issueInstanceSecret("n1", root.partition());
        assertThat(rootSecret.toString()).doesNotContain(rootSecret.secret());
        SlapClient rootClient = m.client(rootSecret.secret());
        assertThat(rootClient.self().id()).isEqualTo(root.id());

        Instance child = rootClient.requestChild(new InstanceRequest("member", SR, null, Map.of("role", "replica"), null, false,
                Map.of("node", "n2")));
        assertThat(child.parent()).isEqualTo(root.id());
        assertThat(child.node()).isEqualTo("n2");
        SlapClient childClient = m.client(node2.issueInstanceSecret("n2", "slappart0").secret());
        childClient.publish(Map.of("address", "10.0.0.2"));
        assertThat(rootClient.requestChild(new InstanceRequest("member", SR, null, Map.of("role", "replica"), null, false,
                Map.of("node", "n2"))).connectionParameters()).containsEntry("address", "10.0.0.2");

        long rootTs = admin.info("cluster").timestamp();
        long childTs = admin.info("member").timestamp();
        long n1Version = node1.nodeInfo("n1").version();
        node2.bang("n2", "slappart0", "postgres exited with status 1");
        assertThat(admin.info("cluster").timestamp()).isGreaterThan(rootTs);
        assertThat(admin.info("member").timestamp()).isGreaterThan(childTs);
        assertThat(node1.nodeInfo("n1").version()).as("the root's node must re-converge too").isGreaterThan(n1Version);

        // An instance may act only on itself and its children.
        assertThatThrownBy(() -> childClient.list()).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> childClient.request(InstanceRequest.of("sneaky", SR, Map.of())))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> admin.requestChild(InstanceRequest.of("sneaky", SR, Map.of())))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> childClient.nodeInfo("n2")).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> childClient.bang("n1", root.partition(), "not mine"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void destructionFreesThePartitionWhenTheNodeReportsIt() {
        admin.request(new InstanceRequest("gone", SR, null, null, null, false, Map.of("node", "n2")));
        Instance removed = admin.remove("gone");
        assertThat(removed.requestedState()).isEqualTo(RequestedState.DESTROYED);
        assertThat(node2.nodeInfo("n2").partitions().get(0).instance().requestedState()).isEqualTo(RequestedState.DESTROYED);
        assertThatThrownBy(() -> admin.request(new InstanceRequest("next", SR, null, null, null, false, Map.of("node", "n2"))))
                .isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("no_free_partition");
                });
        node2.reportInstance("n2", "slappart0", InstanceState.DESTROYED, null);
        assertThat(node2.nodeInfo("n2").partitions().get(0).instance()).isNull();
        assertThatThrownBy(() -> admin.info("gone")).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.code()).isEqualTo("unknown_instance"));
        assertThat(admin.request(new InstanceRequest("next", SR, null, null, null, false, Map.of("node", "n2"))).partition())
                .isEqualTo("slappart0");
    }

    @Test
    void refusals() throws Exception {
        assertError(m.raw("GET", "/api/v1/instances", null, null), 401, "unauthenticated");
        assertError(m.raw("GET", "/api/v1/instances", "sgu_not-a-real-token", null), 401, "unauthenticated");
        assertError(m.raw("GET", "/api/v1/nodes/n1", null, null), 401, "unauthenticated");
        // wrong node
        assertThatThrownBy(() -> node2.nodeInfo("n1")).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.code()).isEqualTo("wrong_node");
        });
        assertThatThrownBy(() -> node2.reportSoftware("n1", SR, SoftwareState.AVAILABLE, null))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.code()).isEqualTo("wrong_node"));
        // a user is not a node, a node is not a user
        assertThatThrownBy(() -> admin.nodeInfo("n1")).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> node1.list()).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> node1.request(InstanceRequest.of("x", SR, Map.of())))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        // bad JSON, unknown fields, bad enum, missing fields
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, "{\"name\": "), 400, "bad_json");
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, "{\"name\":\"a\",\"softwareUrl\":\"u\",\"colour\":1}"), 400, "bad_json");
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, "{\"name\":\"a\",\"softwareUrl\":\"" + SR + "\",\"state\":\"sleeping\"}"),
                400, "bad_json");
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, "{\"softwareUrl\":\"" + SR + "\"}"), 400, "invalid_request");
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, ""), 400, "bad_json");
        // oversized body
        String huge = "{\"name\":\"a\",\"softwareUrl\":\"" + SR + "\",\"parameters\":{\"x\":\"" + "y".repeat(2 << 20) + "\"}}";
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, huge), 413, "too_large");
        // unknown release, bad filter, no free partition
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, "{\"name\":\"a\",\"softwareUrl\":\"https://nowhere/x.cfg\"}"),
                404, "unknown_release");
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken,
                "{\"name\":\"a\",\"softwareUrl\":\"" + SR + "\",\"filter\":{\"node\":\"n9\"}}"), 400, "bad_filter");
        for (int i = 0; i < 4; i++) {
            admin.request(InstanceRequest.of("fill" + i, SR, Map.of()));
        }
        assertError(m.raw("POST", "/api/v1/instances", m.adminToken, "{\"name\":\"one-too-many\",\"softwareUrl\":\"" + SR + "\"}"),
                409, "no_free_partition");
        // unknown routes and instances
        assertError(m.raw("GET", "/api/v1/instances/nothing-here", m.adminToken, null), 404, "unknown_instance");
        assertError(m.raw("GET", "/api/v9/whatever", m.adminToken, null), 404, "no_route");
        // a revoked instance secret stops working
        String old = node1.issueInstanceSecret("n1", "slappart0").secret();
        node1.issueInstanceSecret("n1", "slappart0");
        assertError(m.raw("GET", "/api/v1/instance", old, null), 401, "unauthenticated");
    }

    @Test
    void aRegularUserSeesOnlyItsOwnInstancesAndNodes() {
        String bobToken = admin.createUserToken("bob", false).token();
        SlapClient bob = m.client(bobToken);
        admin.request(InstanceRequest.of("admins", SR, Map.of()));
        assertThat(bob.list()).isEmpty();
        assertThat(bob.nodes()).isEmpty();
        assertThatThrownBy(() -> bob.info("admins")).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> bob.supply(SR, "n1", SupplyState.AVAILABLE))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> bob.remove("admins")).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> bob.createUserToken("mallory", true))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> bob.request(InstanceRequest.of("bobs", SR, Map.of())))
                .as("the admin's nodes are private until shared")
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.code()).isEqualTo("unknown_release"));
        admin.shareNode("n2", "bob");
        assertThat(bob.nodes()).extracting(n -> n.id()).containsExactly("n2");
        bob.request(InstanceRequest.of("bobs", SR, Map.of()));
        assertThat(bob.list()).extracting(Instance::name).containsExactly("bobs");
        assertThat(admin.list()).extracting(Instance::name).containsExactlyInAnyOrder("admins", "bobs");
    }

    @Test
    void longPollReturnsAsSoonAsSomethingChangesForThatNode() {
        long v1 = node1.nodeInfo("n1").version();
        assertThat(node1.nodeInfo("n1", v1, Duration.ZERO)).as("unchanged: 304").isEmpty();

        CompletableFuture<Optional<NodeInfo>> poll = CompletableFuture.supplyAsync(() -> node1.nodeInfo("n1", v1, Duration.ofSeconds(30)));
        admin.request(new InstanceRequest("late", SR, null, null, null, false, Map.of("node", "n1")));
        await().atMost(Duration.ofSeconds(10)).until(poll::isDone);
        NodeInfo got = poll.join().orElseThrow();
        assertThat(got.version()).isGreaterThan(v1);
        assertThat(got.partitions()).anySatisfy(p -> assertThat(p.instance()).isNotNull()
                .satisfies(i -> assertThat(i.name()).isEqualTo("late")));
    }

    @Test
    void afterAReportTheNodesNextPollShowsItAndARepeatedReportChangesNothing() {
        Instance i = admin.request(new InstanceRequest("seen", SR, null, null, null, false, Map.of("node", "n1")));
        NodeInfo before = node1.nodeInfo("n1");
        node1.reportInstance("n1", i.partition(), InstanceState.ERROR, "profile failed", i.timestamp());
        // the poll a node makes next: with the version it knows, and a wait
        NodeInfo after = node1.nodeInfo("n1", before.version(), Duration.ofSeconds(5)).orElseThrow(
                () -> new AssertionError("the report is not in the node's document: the node would see stale data"));
        Instance seen = after.partitions().stream().filter(p -> p.id().equals(i.partition())).findFirst().orElseThrow().instance();
        assertThat(seen.reportedState()).isEqualTo(InstanceState.ERROR);
        assertThat(seen.errorLog()).isEqualTo("profile failed");
        assertThat(seen.reportedTimestamp()).isEqualTo(i.timestamp());
        assertThat(seen.timestamp()).as("a report is not a change to act on").isEqualTo(i.timestamp());

        node1.publishConnection("n1", i.partition(), Map.of("url", "http://127.0.0.1:1"));
        NodeInfo published = node1.nodeInfo("n1", after.version(), Duration.ofSeconds(5)).orElseThrow();
        assertThat(published.partitions().stream().filter(p -> p.id().equals(i.partition())).findFirst().orElseThrow()
                .instance().connectionParameters()).containsEntry("url", "http://127.0.0.1:1");

        node1.reportInstance("n1", i.partition(), InstanceState.ERROR, "profile failed", i.timestamp());
        assertThat(node1.nodeInfo("n1", published.version(), Duration.ZERO)).as("the same report again changes nothing").isEmpty();
    }

    @Test
    void theNodesStatusTreeIsShownToTheInstancesOwnerAndOnlyItsNodeMaySendIt() {
        Instance i = admin.request(new InstanceRequest("tree", SR, null, null, null, false, Map.of("node", "n1")));
        assertThatThrownBy(() -> admin.status("tree")).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        NodeInfo before = node1.nodeInfo("n1");
        var tree = new org.slapgrid.slap.model.PartitionStatus(
                List.of(new org.slapgrid.slap.model.PartitionStatus.Service("http", "RUNNING", 4242, 1_700_000_000L, 2)),
                List.of(new org.slapgrid.slap.model.PartitionStatus.Promise("listening", false, "connection refused")),
                "promise listening broken", null);
        node1.reportStatus("n1", i.partition(), tree);
        var shown = admin.status("tree");
        assertThat(shown.services()).isEqualTo(tree.services());
        assertThat(shown.promises()).isEqualTo(tree.promises());
        assertThat(shown.lastError()).isEqualTo("promise listening broken");
        assertThat(shown.reportedAt()).isNotNull();
        assertThat(node1.nodeInfo("n1", before.version(), Duration.ZERO)).as("observed state: no wake-up").isEmpty();
        assertThatThrownBy(() -> node2.reportStatus("n1", i.partition(), tree)).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(403));
        var huge = new org.slapgrid.slap.model.PartitionStatus(List.of(), List.of(
                new org.slapgrid.slap.model.PartitionStatus.Promise("p", true, "x".repeat(100_000))), null, null);
        assertThatThrownBy(() -> node1.reportStatus("n1", i.partition(), huge)).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void aNodeNeverSeesAnotherNodesChangesOrData() {
        long v1 = node1.nodeInfo("n1").version();
        admin.request(new InstanceRequest("elsewhere", SR, null, Map.of("secret", "n2-only"), null, false, Map.of("node", "n2")));
        assertThat(node1.nodeInfo("n1", v1, Duration.ofSeconds(1))).as("n2's change does not wake n1").isEmpty();
        NodeInfo info = node1.nodeInfo("n1");
        assertThat(info.partitions()).isNotEmpty().allSatisfy(p -> assertThat(p.instance()).isNull());
        assertThat(info.toString()).doesNotContain("n2-only").doesNotContain("elsewhere");
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(r.body()).contains("\"code\":\"" + code + "\"").contains("\"message\":");
    }

    /** Issue 13: creates of one cluster name racing each other give one 201 and 409s, never a 500 (both stores). */
    @org.junit.jupiter.api.Test
    void concurrentCreatesOfOneClusterNameGiveOneClusterAndConflicts() throws Exception {
        String body = "{\"name\":\"race\",\"softwareUrl\":\"https://example.org/sr/race.cfg\","
                + "\"roles\":[{\"name\":\"db\",\"count\":1}]}";
        int n = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int k = 0; k < n; k++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return m.raw("POST", "/api/v1/clusters", m.adminToken, body).statusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (var f : answers) {
                codes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            org.assertj.core.api.Assertions.assertThat(codes).as("answers").containsOnly(201, 409)
                    .filteredOn(c -> c == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        org.assertj.core.api.Assertions.assertThat(admin.clusters(true)).singleElement()
                .satisfies(c -> org.assertj.core.api.Assertions.assertThat(c.members()).hasSize(1));
    }
}
