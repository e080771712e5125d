package org.slapgrid.master.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.CredentialStore;
import org.slapgrid.master.service.InstanceService;
import org.slapgrid.master.service.Limits;
import org.slapgrid.master.service.Retention;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceReport;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.NodeRegistration;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SoftwareReport;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SupplyRequest;
import org.slapgrid.slap.model.SupplyState;

/**
 * The store's behaviour through the services, run on every database (subclasses open one).
 * Each test gets an empty, freshly migrated database.
 */
abstract class StoreContractTest {
    static final String SR = "https://example.org/sr/software.cfg";
    final Principal admin = Principal.user("admin", true);
    final Principal alice = Principal.user("alice", false);
    final Principal n1 = Principal.node("n1");
    final Principal n2 = Principal.node("n2");

    Database db;
    NodeService nodes;
    InstanceService instances;
    CredentialStore credentials;
    final List<Set<String>> notified = new CopyOnWriteArrayList<>();

    /** A fresh, empty database URL. */
    abstract String newDatabaseUrl() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(newDatabaseUrl());
        nodes = new NodeService(db, notified::add, Limits.defaults());
        instances = new InstanceService(db, notified::add, Limits.defaults());
        credentials = new CredentialStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    void twoNodesWithRelease() {
        nodes.register(admin, new NodeRegistration("n1", List.of("slappart0", "slappart1")));
        nodes.register(admin, new NodeRegistration("n2", List.of("slappart0")));
        nodes.supply(admin, new SupplyRequest(SR, "n1", SupplyState.AVAILABLE));
        nodes.supply(admin, new SupplyRequest(SR, "n2", SupplyState.AVAILABLE));
        nodes.share(admin, "n1", "alice", true);
        nodes.share(admin, "n2", "alice", true);
    }

    @Test
    void migrationIsIdempotentAndCredentialsAreStoredHashed() {
        db.close();
        db = Database.open(dbUrlOf());
        credentials = new CredentialStore(db);
        String token = credentials.createUserToken("bob", false);
        assertThat(credentials.authenticate(token)).contains(Principal.user("bob", false));
        assertThat(credentials.authenticate(token + "x")).isEmpty();
        List<String> stored = db.read(c -> Sql.list(c, "SELECT token_hash FROM credential", rs -> rs.getString(1)));
        assertThat(stored).hasSize(1).doesNotContain(token).allSatisfy(h -> assertThat(h).hasSize(64));
    }

    private String lastUrl;

    String dbUrlOf() {
        return lastUrl;
    }

    /** Subclasses call this from newDatabaseUrl so a test can reopen the same database. */
    String remember(String url) {
        lastUrl = url;
        return url;
    }

    @Test
    void requestAllocatesAFreePartitionOnANodeWithTheRelease() {
        twoNodesWithRelease();
        long before = nodes.version("n1").orElseThrow();
        var r = instances.request(alice, InstanceRequest.of("db", SR, Map.of("size", "10")));
        assertThat(r.created()).isTrue();
        Instance i = r.instance();
        assertThat(i.node()).isEqualTo("n1");
        assertThat(i.partition()).isEqualTo("slappart0");
        assertThat(i.requester()).isEqualTo("user:alice");
        assertThat(i.root()).isEqualTo(i.id());
        assertThat(i.parameters()).containsEntry("size", "10");
        assertThat(nodes.version("n1").orElseThrow()).isGreaterThan(before);
        var info = nodes.info(n1, "n1");
        assertThat(info.partitions()).extracting(p -> p.instance() == null ? null : p.instance().name())
                .containsExactly("db", null);
        assertThat(info.software()).extracting(s -> s.url()).containsExactly(SR);
        assertThat(notified).anySatisfy(s -> assertThat(s).contains("n1"));
    }

    @Test
    void reRequestIsIdempotentAndUpdatesParametersAndState() {
        twoNodesWithRelease();
        java.util.LinkedHashMap<String, Object> ab = new java.util.LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", 2);
        java.util.LinkedHashMap<String, Object> ba = new java.util.LinkedHashMap<>();
        ba.put("b", 2);
        ba.put("a", "1");
        Instance ordered = instances.request(alice, InstanceRequest.of("keys", SR, ab)).instance();
        assertThat(instances.request(alice, InstanceRequest.of("keys", SR, ba)).instance().timestamp())
                .as("the same parameters in another order change nothing").isEqualTo(ordered.timestamp());
        Instance first = instances.request(alice, InstanceRequest.of("db", SR, Map.of("size", "10"))).instance();
        var same = instances.request(alice, InstanceRequest.of("db", SR, new java.util.LinkedHashMap<>(Map.of("size", "10"))));
        assertThat(same.created()).isFalse();
        assertThat(same.instance().id()).isEqualTo(first.id());
        assertThat(same.instance().timestamp()).isEqualTo(first.timestamp());

        Instance updated = instances.request(alice, InstanceRequest.of("db", SR, Map.of("size", "20"))).instance();
        assertThat(updated.id()).isEqualTo(first.id());
        assertThat(updated.partition()).isEqualTo(first.partition());
        assertThat(updated.parameters()).containsEntry("size", "20");
        assertThat(updated.timestamp()).isGreaterThan(first.timestamp());

        Instance stopped = instances.request(alice, new InstanceRequest("db", SR, "default", Map.of("size", "20"),
                RequestedState.STOPPED, false, Map.of())).instance();
        assertThat(stopped.requestedState()).isEqualTo(RequestedState.STOPPED);
        assertThat(stopped.timestamp()).isGreaterThan(updated.timestamp());
        assertThat(instances.list(alice)).hasSize(2);
    }

    @Test
    void filterPinsTheNodeAndRefusalsAreClear() {
        twoNodesWithRelease();
        Instance pinned = instances.request(alice, new InstanceRequest("x", SR, null, null, null, false, Map.of("node", "n2"))).instance();
        assertThat(pinned.node()).isEqualTo("n2");
        assertThatThrownBy(() -> instances.request(alice, new InstanceRequest("y", SR, null, null, null, false, Map.of("node", "n2"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("no_free_partition"));
        assertThatThrownBy(() -> instances.request(alice, new InstanceRequest("y", SR, null, null, null, false, Map.of("node", "nope"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_filter"));
        assertThatThrownBy(() -> instances.request(alice, new InstanceRequest("y", SR, null, null, null, false, Map.of("cpu", "4"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_filter"));
        assertThatThrownBy(() -> instances.request(alice, InstanceRequest.of("y", "https://unknown/sr.cfg", Map.of())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("unknown_release"));
        // Nothing was half-created by the refusals.
        assertThat(instances.list(alice)).extracting(Instance::name).containsExactly("x");
    }

    @Test
    void noFreePartitionIsAConflict() {
        twoNodesWithRelease();
        instances.request(alice, InstanceRequest.of("a", SR, Map.of()));
        instances.request(alice, InstanceRequest.of("b", SR, Map.of()));
        instances.request(alice, InstanceRequest.of("c", SR, Map.of()));
        assertThatThrownBy(() -> instances.request(alice, InstanceRequest.of("d", SR, Map.of())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("no_free_partition");
                });
    }

    @Test
    void destructionFreesThePartitionOnlyWhenTheNodeReportsIt() {
        twoNodesWithRelease();
        Instance i = instances.request(alice, new InstanceRequest("db", SR, null, null, null, false, Map.of("node", "n2"))).instance();
        Instance removed = instances.remove(alice, "db");
        assertThat(removed.requestedState()).isEqualTo(RequestedState.DESTROYED);
        assertThat(nodes.info(n2, "n2").partitions().get(0).instance()).isNotNull();
        assertThatThrownBy(() -> instances.request(alice, new InstanceRequest("other", SR, null, null, null, false, Map.of("node", "n2"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("no_free_partition"));

        instances.report(n2, "n2", i.partition(), new InstanceReport(InstanceState.DESTROYED, null));
        assertThat(nodes.info(n2, "n2").partitions().get(0).instance()).isNull();
        instances.report(n2, "n2", i.partition(), new InstanceReport(InstanceState.DESTROYED, null)); // repeated: harmless
        assertThatThrownBy(() -> instances.report(n2, "n2", i.partition(), new InstanceReport(InstanceState.STARTED, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("no_instance"));
        assertThat(instances.list(alice)).isEmpty();
        assertThat(instances.request(alice, new InstanceRequest("other", SR, null, null, null, false, Map.of("node", "n2")))
                .instance().partition()).isEqualTo("slappart0");
    }

    @Test
    void aReportSaysWhichVersionOfTheRequestItAnswers() {
        twoNodesWithRelease();
        Instance i = instances.request(alice, new InstanceRequest("db", SR, null, Map.of("a", 1), null, false,
                Map.of("node", "n2"))).instance();
        assertThat(i.reportedTimestamp()).isNull();

        instances.report(n2, "n2", i.partition(), new InstanceReport(InstanceState.STARTED, null, i.timestamp()));
        Instance applied = instances.info(alice, "db");
        assertThat(applied.reportedTimestamp()).isEqualTo(applied.timestamp());

        Instance changed = instances.request(alice, new InstanceRequest("db", SR, null, Map.of("a", 2), null, false,
                Map.of("node", "n2"))).instance();
        assertThat(changed.timestamp()).isGreaterThan(applied.timestamp());
        assertThat(instances.info(alice, "db").reportedTimestamp()).as("not applied yet").isLessThan(changed.timestamp());

        instances.report(n2, "n2", i.partition(), new InstanceReport(InstanceState.STARTED, null)); // an older node: no timestamp
        assertThat(instances.info(alice, "db").reportedTimestamp()).as("kept").isEqualTo(applied.timestamp());
        instances.report(n2, "n2", i.partition(), new InstanceReport(InstanceState.STARTED, null, changed.timestamp()));
        assertThat(instances.info(alice, "db").reportedTimestamp()).isEqualTo(changed.timestamp());
    }

    @Test
    void aNodeCannotDestroyAnInstanceThatIsWanted() {
        twoNodesWithRelease();
        Instance i = instances.request(alice, InstanceRequest.of("db", SR, Map.of())).instance();
        assertThatThrownBy(() -> instances.report(n1, "n1", i.partition(), new InstanceReport(InstanceState.DESTROYED, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("not_destroyed"));
        assertThatThrownBy(() -> instances.report(n2, "n1", i.partition(), new InstanceReport(InstanceState.STARTED, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("wrong_node"));
    }

    @Test
    void bangBumpsTheWholeTreeAcrossNodes() {
        twoNodesWithRelease();
        nodes.reportFormat(n1, "n1", List.of("slappart0", "slappart1", "slappart2"));
        Instance root = instances.request(alice, InstanceRequest.of("root", SR, Map.of())).instance();
        Principal rootP = Principal.instance(root.id());
        Instance child = instances.request(rootP, new InstanceRequest("child", SR, null, null, null, false, Map.of("node", "n2"))).instance();
        Instance grandChild = instances.request(Principal.instance(child.id()), InstanceRequest.of("gc", SR, Map.of())).instance();
        assertThat(child.root()).isEqualTo(root.id());
        assertThat(grandChild.root()).isEqualTo(root.id());
        assertThat(grandChild.parent()).isEqualTo(child.id());
        assertThat(grandChild.name()).as("its own name, not its root's").isEqualTo("gc");
        assertThat(grandChild.rootName()).isEqualTo("root");
        assertThat(grandChild.owner()).isEqualTo("alice");
        Instance unrelated = instances.request(alice, InstanceRequest.of("unrelated", SR, Map.of())).instance();
        long v2 = nodes.version("n2").orElseThrow();

        instances.bang(n1, "n1", grandChild.partition(), "service x exited 1");

        Map<String, Long> after = new java.util.HashMap<>();
        instances.list(alice).forEach(i -> after.put(i.name(), i.timestamp()));
        assertThat(after.get("root")).isGreaterThan(root.timestamp());
        assertThat(after.get("child")).isGreaterThan(child.timestamp());
        assertThat(after.get("gc")).isGreaterThan(grandChild.timestamp());
        assertThat(after.get("unrelated")).isEqualTo(unrelated.timestamp());
        assertThat(nodes.version("n2").orElseThrow()).isGreaterThan(v2);
        List<String> bangs = db.read(c -> Sql.list(c, "SELECT message FROM bang", rs -> rs.getString(1)));
        assertThat(bangs).containsExactly("service x exited 1");
    }

    @Test
    void removingARootDestroysItsDescendants() {
        twoNodesWithRelease();
        Instance root = instances.request(alice, InstanceRequest.of("root", SR, Map.of())).instance();
        instances.request(Principal.instance(root.id()), InstanceRequest.of("child", SR, Map.of()));
        instances.remove(alice, "root");
        assertThat(instances.list(alice)).extracting(Instance::name, Instance::requestedState).containsExactlyInAnyOrder(
                tuple("root", RequestedState.DESTROYED), tuple("child", RequestedState.DESTROYED));
    }

    @Test
    void connectionParametersReachTheRequesterAndBumpIt() {
        twoNodesWithRelease();
        Instance root = instances.request(alice, InstanceRequest.of("root", SR, Map.of())).instance();
        Instance child = instances.request(Principal.instance(root.id()), InstanceRequest.of("child", SR, Map.of())).instance();
        long rootTs = instances.info(alice, "root").timestamp();
        instances.publish(n1, "n1", child.partition(), Map.of("url", "http://10.0.0.1:8080"));
        assertThat(instances.request(Principal.instance(root.id()), InstanceRequest.of("child", SR, Map.of())).instance()
                .connectionParameters()).containsEntry("url", "http://10.0.0.1:8080");
        long bumped = instances.info(alice, "root").timestamp();
        assertThat(bumped).isGreaterThan(rootTs);
        instances.publish(n1, "n1", child.partition(), Map.of("url", "http://10.0.0.1:8080"));
        assertThat(instances.info(alice, "root").timestamp()).as("an unchanged publication changes nothing").isEqualTo(bumped);
    }

    @Test
    void softwareReportsAndRemoval() {
        twoNodesWithRelease();
        nodes.reportSoftware(n1, "n1", new SoftwareReport(SR, SoftwareState.ERROR, "compile failed"));
        assertThat(nodes.info(n1, "n1").software().get(0).errorLog()).isEqualTo("compile failed");
        nodes.supply(admin, new SupplyRequest(SR, "n1", SupplyState.DESTROYED));
        assertThat(nodes.info(n1, "n1").software().get(0).requestedState()).isEqualTo(SupplyState.DESTROYED);
        nodes.reportSoftware(n1, "n1", new SoftwareReport(SR, SoftwareState.DESTROYED, null));
        assertThat(nodes.info(n1, "n1").software()).isEmpty();
        nodes.reportSoftware(n1, "n1", new SoftwareReport(SR, SoftwareState.DESTROYED, null)); // repeated: harmless
        assertThatThrownBy(() -> nodes.reportSoftware(n1, "n1", new SoftwareReport(SR, SoftwareState.AVAILABLE, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("unknown_supply"));
    }

    @Test
    void formatAddsPartitionsAndKeepsBusyOnes() {
        twoNodesWithRelease();
        instances.request(alice, new InstanceRequest("db", SR, null, null, null, false, Map.of("node", "n2")));
        nodes.reportFormat(n2, "n2", List.of("slappart1", "slappart2"));
        assertThat(nodes.info(n2, "n2").partitions()).extracting(p -> p.id()).containsExactly("slappart0", "slappart1", "slappart2");
        assertThat(nodes.list(admin)).filteredOn(s -> s.id().equals("n2")).singleElement()
                .satisfies(s -> assertThat(s.freePartitions()).isEqualTo(2));
    }

    @Test
    void sharedInstancesLiveInTheirHostsPartition() {
        twoNodesWithRelease();
        Instance host = instances.request(alice, InstanceRequest.of("host", SR, Map.of())).instance();
        Instance shared = instances.request(alice, new InstanceRequest("tenant", SR, "default", Map.of("k", "v"),
                RequestedState.STARTED, true, Map.of())).instance();
        assertThat(shared.host()).isEqualTo(host.id());
        assertThat(shared.partition()).isNull();
        var p = nodes.info(n1, "n1").partitions().stream().filter(x -> x.id().equals(host.partition())).findFirst().orElseThrow();
        assertThat(p.sharedInstances()).extracting(Instance::name).containsExactly("tenant");
    }

    @Test
    void concurrentRequestsNeverShareAPartition() throws Exception {
        nodes.register(admin, new NodeRegistration("big", java.util.stream.IntStream.range(0, 12).mapToObj(i -> "slappart" + i).toList()));
        nodes.supply(admin, new SupplyRequest(SR, "big", SupplyState.AVAILABLE));
        nodes.share(admin, "big", "*", true);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Instance>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String name = "i" + i;
                futures.add(pool.submit(() -> instances.request(alice, InstanceRequest.of(name, SR, Map.of())).instance()));
            }
            List<String> partitions = new ArrayList<>();
            for (Future<Instance> f : futures) {
                partitions.add(f.get().partition());
            }
            assertThat(partitions).doesNotHaveDuplicates().hasSize(12);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyChangeIsAudited() {
        twoNodesWithRelease();
        instances.request(alice, InstanceRequest.of("db", SR, Map.of("password", "hunter2")));
        List<String> actions = db.read(c -> Sql.list(c, "SELECT action FROM audit ORDER BY id", rs -> rs.getString(1)));
        assertThat(actions).contains("node.register", "supply.available", "instance.create");
        List<String> details = db.read(c -> Sql.list(c, "SELECT COALESCE(detail, '') FROM audit", rs -> rs.getString(1)));
        assertThat(details).noneMatch(d -> d.contains("hunter2"));
    }

    @Test
    void onlyAllowedUsersRegisterNodesAndRequestsStayOnNodesTheirOwnerMayUse() {
        twoNodesWithRelease();
        assertThatThrownBy(() -> nodes.register(alice, new NodeRegistration("a", List.of("slappart0"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        accounts().update(admin, "alice", new org.slapgrid.slap.model.AccountUpdate(true, 2L));
        nodes.register(alice, new NodeRegistration("a", List.of("slappart0", "slappart1", "slappart2")));
        nodes.supply(alice, new SupplyRequest(SR, "a", SupplyState.AVAILABLE));
        nodes.share(admin, "n1", "alice", false);
        nodes.share(admin, "n2", "alice", false);
        Instance root = instances.request(admin, InstanceRequest.of("admins", SR, Map.of())).instance();
        assertThat(root.node()).isEqualTo("n1");
        // The admin's instance asks for a child: it stays on the admin's nodes too.
        assertThat(instances.request(Principal.instance(root.id()), InstanceRequest.of("child", SR, Map.of())).instance().node())
                .isIn("n1", "n2");
        assertThat(instances.request(alice, InstanceRequest.of("one", SR, Map.of())).instance().node()).isEqualTo("a");
        instances.request(alice, InstanceRequest.of("two", SR, Map.of()));
        assertThatThrownBy(() -> instances.request(alice, InstanceRequest.of("three", SR, Map.of())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("quota_exceeded"));
        nodes.update(admin, "a", new org.slapgrid.slap.model.NodeUpdate(true));
        accounts().update(admin, "alice", new org.slapgrid.slap.model.AccountUpdate(null, -1L));
        assertThatThrownBy(() -> instances.request(alice, InstanceRequest.of("three", SR, Map.of())))
                .as("a disabled node takes no new instance").isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.code()).isEqualTo("unknown_release"));
    }

    @Test
    void deletingANodeTakesItsInstancesAndDestroysTheirChildrenElsewhere() {
        twoNodesWithRelease();
        Instance root = instances.request(alice, new InstanceRequest("root", SR, null, null, null, false, Map.of("node", "n2")))
                .instance();
        instances.bang(n2, "n2", root.partition(), "down");
        Instance child = instances.request(Principal.instance(root.id()), InstanceRequest.of("child", SR, Map.of())).instance();
        assertThat(child.node()).isEqualTo("n1");
        assertThat(nodes.delete(admin, "n2").instances()).isEqualTo(1);
        assertThat(instances.list(alice)).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("child");
            assertThat(i.requestedState()).isEqualTo(RequestedState.DESTROYED);
        });
        List<String> bangs = db.read(c -> Sql.list(c, "SELECT id FROM bang", rs -> rs.getString(1)));
        assertThat(bangs).as("its bangs went with it").isEmpty();
        assertThat(nodes.list(admin)).extracting(s -> s.id()).containsExactly("n1");
        assertThatThrownBy(() -> nodes.delete(alice, "n1")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void retentionKeepsTheNewestBangsPerInstanceAndBoundsTheAuditLog() {
        Limits limits = Limits.defaults().withRates(new Limits.Rate(1000, java.time.Duration.ofMillis(1)),
                new Limits.Rate(1000, java.time.Duration.ofMillis(1))).withRetention(3, java.time.Duration.ofDays(1), 5,
                java.time.Duration.ofDays(1));
        instances = new InstanceService(db, notified::add, limits);
        twoNodesWithRelease();
        Instance i = instances.request(alice, InstanceRequest.of("noisy", SR, Map.of())).instance();
        for (int n = 0; n < 8; n++) {
            instances.bang(n1, "n1", i.partition(), "bang " + n);
        }
        List<String> kept = db.read(c -> Sql.list(c, "SELECT message FROM bang ORDER BY id", rs -> rs.getString(1)));
        assertThat(kept).containsExactly("bang 5", "bang 6", "bang 7");
        Retention.Pruned pruned = new Retention(db, limits).prune();
        long audit = db.read(c -> Sql.one(c, "SELECT COUNT(*) FROM audit", rs -> rs.getLong(1))).orElseThrow();
        assertThat(audit).isLessThanOrEqualTo(5);
        assertThat(pruned.auditRows()).isPositive();
        Retention.Pruned aged = new Retention(db, limits.withRetention(3, java.time.Duration.ZERO.minusMillis(1), 5,
                java.time.Duration.ofDays(1))).prune();
        assertThat(aged.bangs()).isEqualTo(3);
    }

    @Test
    void sharedInstancesAndPartitionsPerNodeAreBounded() {
        instances = new InstanceService(db, notified::add, Limits.defaults().withMaxSharedPerUser(2));
        twoNodesWithRelease();
        instances.request(alice, InstanceRequest.of("host", SR, Map.of()));
        for (String name : List.of("tenant1", "tenant2")) {
            instances.request(alice, new InstanceRequest(name, SR, "default", Map.of(), RequestedState.STARTED, true, Map.of()));
        }
        assertThatThrownBy(() -> instances.request(alice, new InstanceRequest("tenant3", SR, "default", Map.of(),
                RequestedState.STARTED, true, Map.of())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("quota_exceeded"));
        List<String> many = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "slappart" + i).toList();
        assertThatThrownBy(() -> nodes.reportFormat(n1, "n1", many))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("maxPartitionsPerNode");
                });
    }

    /** A cluster service on this database, its job files and backups in a fresh directory. */
    org.slapgrid.master.cluster.ClusterService clusterService() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("slapgrid-store-test");
            return new org.slapgrid.master.cluster.ClusterService(db, notified::add, instances,
                    new org.slapgrid.master.jobs.JobService(db, notified::add, dir.resolve("jobs"), 1 << 20), dir.resolve("backups"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Clusters on this database: members spread over both nodes, the wish and task stored, every
     * refusal, membership in the node documents, a task left set resumed by a new service.
     */
    @Test
    void clustersStoreTheirModelTaskAndMembers() {
        nodes.register(admin, new NodeRegistration("n1", List.of("slappart0", "slappart1")));
        nodes.register(admin, new NodeRegistration("n2", List.of("slappart0", "slappart1")));
        nodes.share(admin, "n1", "alice", true);
        nodes.share(admin, "n2", "alice", true);
        org.slapgrid.master.cluster.ClusterService clusters = clusterService();
        var created = clusters.create(alice, new org.slapgrid.slap.model.ClusterRequest("c", SR,
                org.slapgrid.slap.model.ClusterTopology.FAILOVER, Map.of(),
                List.of(new org.slapgrid.slap.model.ClusterRole("db", "mariadb", Map.of("k", "v"), 2, 2, 3),
                        new org.slapgrid.slap.model.ClusterRole("web", null, null, 1, 0, 1))));
        assertThat(created.members()).extracting(m -> m.name(), m -> m.node())
                .containsExactly(tuple("db.0", "n1"), tuple("db.1", "n2"), tuple("web.0", "n1"));
        assertThat(created.primary()).isEqualTo("db.0");
        var doc = nodes.info(n2, "n2").partitions().stream().filter(p -> p.instance() != null).findFirst().orElseThrow().instance();
        assertThat(doc.name()).isEqualTo("c/db.1");
        assertThat(doc.cluster().primary()).isEqualTo("db.0");
        assertThat(doc.cluster().members()).extracting(m -> m.name()).containsExactly("db.0", "db.1", "web.0");
        assertThatThrownBy(() -> clusters.grow(alice, "c", new org.slapgrid.slap.model.ClusterGrow("web", 1)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThatThrownBy(() -> clusters.shrink(alice, "c", new org.slapgrid.slap.model.ClusterShrink(List.of("db.1"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("shrink would leave role 'db' with 1 member, under its minimum of 2 (min)"));
        assertThat(clusters.grow(alice, "c", new org.slapgrid.slap.model.ClusterGrow("db", 1)).members()).hasSize(4);
        assertThat(clusters.shrink(alice, "c", new org.slapgrid.slap.model.ClusterShrink(List.of("web.0"))).members())
                .extracting(m -> m.name()).containsExactly("db.0", "db.1", "db.2");
        db.transaction(c -> Sql.update(c, "UPDATE cluster SET task = 'DELETING'"));
        assertThatThrownBy(() -> clusters.destroy(alice, "c")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status()).isEqualTo(409));
        assertThat(clusterService().resumeInterrupted()).isEqualTo(1);
        assertThat(clusters.list(alice, false)).isEmpty();
        assertThat(instances.list(alice)).allSatisfy(i -> assertThat(i.requestedState()).isEqualTo(RequestedState.DESTROYED));
    }

    private org.slapgrid.master.service.AccountService accounts() {
        return new org.slapgrid.master.service.AccountService(db, Limits.defaults());
    }
}
