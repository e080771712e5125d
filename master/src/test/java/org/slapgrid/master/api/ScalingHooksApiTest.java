package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.DeletionPolicy;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.JobReport;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.LifecycleNotification;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.PartitionJob;
import org.slapgrid.slap.model.RequestedState;

/**
 * Issue 14 at the master over HTTP, the nodes played by the test as a node daemon would (they
 * read their documents, run the jobs there by reporting them, report their instances): scaling
 * hooks (on-add on the others at grow, pre-scale then on-remove at shrink), lifecycle hooks with
 * drain (queue, termination job, signed webhook, completion once and only by its member or the
 * owner, hook_timeout), a failing pre-scale stopping a shrink, and a resize's four steps.
 */
class ScalingHooksApiTest {
    static final String SR = "https://example.org/cluster.cfg";
    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    SlapClient alice;
    Map<String, SlapClient> nodes;
    HttpServer webhook;
    final List<String[]> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(config());
        admin = m.admin();
        nodes = new java.util.LinkedHashMap<>();
        for (String n : List.of("n1", "n2", "n3")) {
            nodes.put(n, m.client(admin.registerNode(n, List.of("slappart0")).secret()));
        }
        alice = m.client(admin.createUserToken("alice", false).token());
        for (String n : nodes.keySet()) {
            admin.shareNode(n, "alice");
        }
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new String[] {new String(body, StandardCharsets.UTF_8), ex.getRequestHeaders().getFirst("X-Slapgrid-Signature"),
                    ex.getRequestHeaders().getFirst("X-Slapgrid-Event")});
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        webhook.start();
    }

    /** The test's webhook server is on 127.0.0.1: the master is told it may reach it (and nothing else inside). */
    org.slapgrid.master.MasterConfig config() throws Exception {
        return org.slapgrid.master.MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200))
                .withWebhookAllow(List.of(org.slapgrid.master.cluster.Cidr.parse("127.0.0.1/32")));
    }

    @AfterEach
    void stop() {
        webhook.stop(0);
        m.close();
    }

    ClusterInfo createDb(int count) {
        ClusterInfo c = alice.createCluster(new ClusterRequest("db", SR, ClusterTopology.FLEX, Map.of(),
                List.of(new ClusterRole("db", null, null, count, 1, 3))));
        for (ClusterMember x : c.members()) {
            started(x);
        }
        return c;
    }

    /** The member's node reports it started on its current version. */
    void started(ClusterMember x) {
        SlapClient node = nodes.get(x.node());
        Instance i = instanceOn(x.node(), x.partition()).orElseThrow();
        node.reportInstance(x.node(), x.partition(), InstanceState.STARTED, "", i.timestamp());
    }

    Optional<Instance> instanceOn(String node, String partition) {
        return nodes.get(node).nodeInfo(node).partitions().stream().filter(p -> p.id().equals(partition)).findFirst()
                .map(PartitionInfo::instance);
    }

    ClusterMember member(String name) {
        return alice.cluster("db").members().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    /** Waits for a job of {@code kind} in the member's partition, as its node would see it. */
    PartitionJob job(ClusterMember x, String kind, String hook) {
        PartitionJob[] found = new PartitionJob[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (PartitionInfo p : nodes.get(x.node()).nodeInfo(x.node()).partitions()) {
                if (p.id().equals(x.partition())) {
                    for (PartitionJob j : p.jobs()) {
                        if (j.kind().equals(kind) && (hook == null || hook.equals(j.args().get("hook")))) {
                            found[0] = j;
                            return true;
                        }
                    }
                }
            }
            return false;
        });
        return found[0];
    }

    void report(ClusterMember x, PartitionJob j, int exit, String output) {
        nodes.get(x.node()).reportJob(x.node(), x.partition(), j.id(), new JobReport(exit == 0 ? JobState.DONE : JobState.FAILED,
                exit, output, 7L, Map.of()));
    }

    SlapClient instanceClient(ClusterMember x) {
        return m.client(nodes.get(x.node()).issueInstanceSecret(x.node(), x.partition()).secret());
    }

    List<String> events() {
        return alice.clusterEvents("db").stream().map(e -> e.kind() + ": " + e.message()).toList();
    }

    @Test
    void growRunsOnAddOnTheOthersAndShrinkRunsPreScaleThenTheLifecycleHookThenOnRemove() throws Exception {
        createDb(2);
        ClusterMember db0 = member("db.0");
        ClusterMember db1 = member("db.1");
        ClusterInfo grown = alice.growCluster("db", "db", 1);
        assertThat(grown.task()).isEqualTo(ClusterTask.NONE);
        for (ClusterMember other : List.of(db0, db1)) {
            PartitionJob onAdd = job(other, "scaling-hook", "on-add");
            assertThat(onAdd.args()).containsEntry("role", "db").containsEntry("members", List.of("db.2"));
            report(other, onAdd, 0, "Processing db.2\nNew instance of db: db.2");
        }
        assertThat(jobsOf(member("db.2"))).as("the new member is not told of itself").isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> events().stream().filter(e -> e.startsWith("hook-result: on-add")).count() == 2);
        assertThat(events()).anyMatch(e -> e.contains("on-add on db.0: exit 0 in 7 ms: New instance of db: db.2"));
        started(member("db.2"));

        DeletionPolicy policy = alice.setDeletionPolicy("db", new DeletionPolicy(DeletionPolicy.Criteria.OLDEST_FIRST, 30,
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook", null));
        assertThat(policy.webhookSecret()).as("a new webhook's secret, shown once").hasSize(64);
        assertThat(alice.deletionPolicy("db").webhookSecret()).isNull();

        ClusterInfo shrinking = alice.shrinkCluster("db", List.of("db.1"));
        assertThat(shrinking.task()).isEqualTo(ClusterTask.SHRINKING);
        PartitionJob pre = job(db1, "scaling-hook", "pre-scale");
        assertThat(pre.args()).containsEntry("action", "vm_remove").containsEntry("members", List.of("db.1"));
        report(db1, pre, 0, "Before VM remove");

        // (b) its termination hook gets the token; (a) its queue holds the notification
        PartitionJob termination = job(db1, "lifecycle-termination", null);
        String token = (String) termination.args().get("token");
        SlapClient db1Self = instanceClient(db1);
        List<LifecycleNotification> queue = db1Self.lifecycleQueue(5);
        assertThat(queue).singleElement().satisfies(n -> {
            assertThat(n.lifecycleActionToken()).isEqualTo(token);
            assertThat(n.member()).isEqualTo("db/db.1");
            assertThat(n.transition()).isEqualTo("termination");
        });
        assertThat(instanceClient(db0).lifecycleQueue(0)).as("another member's queue").isEmpty();
        // (c) the webhook, signed with the cluster's secret
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        String[] hit = received.get(0);
        assertThat(hit[1]).isEqualTo("sha256=" + hmac(policy.webhookSecret(), hit[0]));
        assertThat(hit[2]).isEqualTo("lifecycle.termination");
        assertThat(Json.lenient().readTree(hit[0]).get("lifecycle_action_token").asText()).isEqualTo(token);
        assertThat(Json.lenient().readTree(hit[0]).get("member").asText()).isEqualTo("db/db.1");

        // refused: a wrong token, another member's credentials, then (after completion) the same token again
        assertThatThrownBy(() -> db1Self.completeLifecycle("db", "0".repeat(48)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> instanceClient(db0).completeLifecycle("db", token))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        SlapClient bob = m.client(admin.createUserToken("bob", false).token());
        assertThatThrownBy(() -> bob.completeLifecycle("db", token))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThat(alice.info("db/db.1").requestedState()).as("still waiting").isEqualTo(RequestedState.STARTED);

        long completed = System.nanoTime();
        db1Self.completeLifecycle("db", token);
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.info("db/db.1").requestedState() == RequestedState.DESTROYED);
        long ms = (System.nanoTime() - completed) / 1_000_000;
        assertThat(ms).as("destroyed right after completion (ms)").isLessThan(3000);
        assertThatThrownBy(() -> db1Self.completeLifecycle("db", token))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(409));
        // the termination script that completed ends after its member left the cluster: its result is still told
        report(db1, termination, 0, "drained");
        await().atMost(Duration.ofSeconds(30)).until(() -> events().contains("hook-result: lifecycle/termination on db.1: exit 0 in 7 ms: drained"));

        // the others are told (on-remove), and the task ends
        for (ClusterMember other : List.of(db0, member("db.2"))) {
            assertThat(job(other, "scaling-hook", "on-remove").args()).containsEntry("members", List.of("db.1"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.cluster("db").task() == ClusterTask.NONE);
        assertThat(events()).anyMatch(e -> e.contains("db.1 is WAITING_LIFECYCLE_COMPLETION"))
                .anyMatch(e -> e.contains("lifecycle hook completed by instance:"))
                .anyMatch(e -> e.contains("webhook for db/db.1: delivered"));
    }

    @Test
    void aMemberThatNeverCompletesIsRemovedAtHookTimeoutAndTheEventsSaySo() {
        createDb(2);
        alice.setDeletionPolicy("db", new DeletionPolicy(null, 2, null, null));
        ClusterMember db1 = member("db.1");
        alice.shrinkCluster("db", List.of("db.1"));
        report(db1, job(db1, "scaling-hook", "pre-scale"), 0, "");
        job(db1, "lifecycle-termination", null);
        long waiting = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.info("db/db.1").requestedState() == RequestedState.DESTROYED);
        long ms = (System.nanoTime() - waiting) / 1_000_000;
        // not before the 2 s; the upper bound only tells it from the default 60 s (a loaded machine is late, not that late)
        assertThat(ms).as("removed at hook_timeout (2 s), not before").isBetween(1500L, 30_000L);
        assertThat(events()).anyMatch(e -> e.contains("not completed within 2 s (hook_timeout); removing it anyway"));
    }

    /** POSTs complete_lifecycle for {@code token} to cluster db with {@code credential}: the HTTP status. */
    int complete(String credential, String token) throws Exception {
        return m.raw("POST", "/api/v1/clusters/db/actions", credential,
                "{\"complete_lifecycle\": {\"lifecycle_action_token\": \"" + token + "\"}}").statusCode();
    }

    String instanceSecret(ClusterMember x) {
        return nodes.get(x.node()).issueInstanceSecret(x.node(), x.partition()).secret();
    }

    @Test
    void aTokenCompletesOnceOnlyForItsMemberWithItsOwnOrTheOwnersCredentials() throws Exception {
        createDb(3);
        alice.setDeletionPolicy("db", new DeletionPolicy(null, 60, null, null));
        ClusterMember db1 = member("db.1");
        ClusterMember db2 = member("db.2");
        alice.shrinkCluster("db", List.of("db.1", "db.2"));
        for (ClusterMember x : List.of(db1, db2)) {
            report(x, job(x, "scaling-hook", "pre-scale"), 0, "");
        }
        String t1 = (String) job(db1, "lifecycle-termination", null).args().get("token");
        String t2 = (String) job(db2, "lifecycle-termination", null).args().get("token");
        String db1Secret = instanceSecret(db1);
        String db0Secret = instanceSecret(member("db.0"));
        String aliceToken = admin.createUserToken("alice", false).token();
        String bobToken = admin.createUserToken("bob", false).token();

        assertThat(complete(db1Secret, t2)).as("db.1's secret with db.2's token").isEqualTo(403);
        assertThat(complete(db0Secret, t1)).as("a member not leaving, with another's token").isEqualTo(403);
        assertThat(complete(bobToken, t1)).as("another user").isEqualTo(403);
        assertThat(complete(db1Secret, "f".repeat(48))).as("a token never issued").isEqualTo(403);
        assertThat(alice.info("db/db.1").requestedState()).as("nothing completed yet").isEqualTo(RequestedState.STARTED);
        assertThat(alice.info("db/db.2").requestedState()).isEqualTo(RequestedState.STARTED);

        assertThat(complete(db1Secret, t1)).as("its member, once").isEqualTo(202);
        assertThat(complete(db1Secret, t1)).as("the same token again, at once").isEqualTo(409);
        assertThat(complete(aliceToken, t1)).as("the owner cannot reuse it either").isEqualTo(409);
        assertThat(complete(aliceToken, t2)).as("the cluster owner's credentials").isEqualTo(202);
        assertThat(complete(aliceToken, t2)).isEqualTo(409);
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.info("db/db.1").requestedState() == RequestedState.DESTROYED
                && alice.info("db/db.2").requestedState() == RequestedState.DESTROYED);
        assertThat(complete(db1Secret, t1)).as("reused after its member was destroyed").isEqualTo(409);
        assertThat(complete(bobToken, t2)).as("another user, even for a used token").isEqualTo(403);
        assertThat(events()).anyMatch(e -> e.contains("db.1: lifecycle hook completed by instance:"))
                .anyMatch(e -> e.contains("db.2: lifecycle hook completed by user:alice"));
    }

    @Test
    void aMemberWithoutTerminationHookNobodyListensToIsRemovedAtOnceButOneWhoseQueueWasReadWaits() {
        createDb(3);
        ClusterMember db1 = member("db.1");
        ClusterMember db2 = member("db.2");
        assertThat(alice.deletionPolicy("db").hookTimeout()).as("the default").isEqualTo(60);

        // db.1: its node has no etc/lifecycle/termination to run (the job ran nothing), no webhook, queue unread
        alice.shrinkCluster("db", List.of("db.1"));
        report(db1, job(db1, "scaling-hook", "pre-scale"), 0, "");
        PartitionJob termination = job(db1, "lifecycle-termination", null);
        long reported = System.nanoTime();
        reportAbsent(db1, termination);
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.info("db/db.1").requestedState() == RequestedState.DESTROYED);
        assertThat((System.nanoTime() - reported) / 1_000_000).as("removed at once, not at hook_timeout (60 s; ms)").isLessThan(30_000);
        assertThat(events()).anyMatch(e -> e.startsWith("lifecycle: db.1: lifecycle hook completed by the master after")
                && e.contains("no etc/lifecycle/termination, the cluster no webhook and nobody read its queue")
                && e.endsWith("removing it now rather than at 60 s (hook_timeout)"));
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.cluster("db").task() == ClusterTask.NONE);

        // db.2: the same node report, but its application read the notification from its queue: the master waits for it
        alice.shrinkCluster("db", List.of("db.2"));
        report(db2, job(db2, "scaling-hook", "pre-scale"), 0, "");
        PartitionJob second = job(db2, "lifecycle-termination", null);
        SlapClient db2Self = instanceClient(db2);
        assertThat(db2Self.lifecycleQueue(5)).hasSize(1);
        reportAbsent(db2, second);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                alice.info("db/db.2").requestedState() == RequestedState.STARTED);
        db2Self.completeLifecycle("db", (String) second.args().get("token"));
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.info("db/db.2").requestedState() == RequestedState.DESTROYED);
        assertThat(events()).filteredOn(e -> e.contains("completed by the master")).as("only db.1's").hasSize(1);
    }

    /** The member's node ran its termination job and found no etc/lifecycle/termination (LifecycleTerminationJob). */
    void reportAbsent(ClusterMember x, PartitionJob j) {
        nodes.get(x.node()).reportJob(x.node(), x.partition(), j.id(), new JobReport(JobState.DONE, 0,
                "no etc/lifecycle/termination in " + x.partition() + ": nothing to run", 3L, Map.of("ran", false)));
    }

    @Test
    void aWebhookMustBeHttpAndMayNotReachInsideTheMastersNetworkUnlessAllowed() {
        createDb(2);
        for (String[] bad : new String[][] {{"ftp://example.org/hook", "must be an http:// or https:// URL (rule: scheme, not ftp)"},
                {"file:///etc/passwd", "must be an http:// or https:// URL (rule: scheme, not file)"},
                {"gopher://127.0.0.1:6379/_INFO", "must be an http:// or https:// URL (rule: scheme, not gopher)"},
                {"http:///nohost", "must name a host (rule: host)"},
                {"http://user:pw@example.org/", "must not carry user info"}}) {
            assertThatThrownBy(() -> alice.setDeletionPolicy("db", new DeletionPolicy(null, null, bad[0], null)))
                    .as(bad[0]).isInstanceOfSatisfying(SlapException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.getMessage()).contains("webhookUrl " + bad[1]);
                    });
        }
        assertThat(alice.deletionPolicy("db").webhookUrl()).as("nothing set").isNull();

        // 127.0.0.2 is loopback too, and not in --webhook-allow 127.0.0.1/32: refused at send, nothing sent
        int port = webhook.getAddress().getPort();
        alice.setDeletionPolicy("db", new DeletionPolicy(null, 30, "http://127.0.0.2:" + port + "/hook", null));
        ClusterMember db1 = member("db.1");
        alice.shrinkCluster("db", List.of("db.1"));
        report(db1, job(db1, "scaling-hook", "pre-scale"), 0, "");
        job(db1, "lifecycle-termination", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> events().stream().anyMatch(e -> e.startsWith("webhook.refused")));
        assertThat(events()).filteredOn(e -> e.startsWith("webhook.refused")).singleElement().isEqualTo("webhook.refused: webhook"
                + " for db/db.1 refused: host 127.0.0.2 resolves to 127.0.0.2 (loopback), not in the master's --webhook-allow"
                + " [127.0.0.1/32]; not sent");
        assertThat(received).isEmpty();
    }

    @Test
    void aFailingPreScaleStopsTheShrinkWithNothingRemoved() {
        createDb(2);
        ClusterMember db1 = member("db.1");
        alice.shrinkCluster("db", List.of("db.1"));
        report(db1, job(db1, "scaling-hook", "pre-scale"), 3, "cannot leave now");
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.cluster("db").task() == ClusterTask.NONE);
        ClusterInfo c = alice.cluster("db");
        assertThat(c.members()).extracting(ClusterMember::name).containsExactly("db.0", "db.1");
        assertThat(c.roles().get(0).count()).isEqualTo(2);
        assertThat(c.lastError()).contains("pre-scale (vm_remove) failed on db.1 (exit 3").contains("no member was removed");
        assertThat(alice.info("db/db.1").requestedState()).isEqualTo(RequestedState.STARTED);
        assertThat(events()).anyMatch(e -> e.startsWith("failed: pre-scale (vm_remove) failed on db.1"));
    }

    @Test
    void aResizeRunsPreScaleThenTheNodeAppliesItThenPostScale() {
        createDb(1);
        ClusterMember db0 = member("db.0");
        ClusterInfo c = alice.resizeMember("db", "db.0", "64M", 0.5);
        assertThat(c.task()).isEqualTo(ClusterTask.RESIZING);
        assertThatThrownBy(() -> alice.growCluster("db", "db", 1)).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).as(e.getMessage()).isEqualTo(409));
        PartitionJob pre = job(db0, "scaling-hook", "pre-scale");
        assertThat(pre.args()).containsEntry("action", "vm_resize");
        assertThat(instanceOn(db0.node(), db0.partition()).orElseThrow().cluster().resources()).as("nothing changed before pre-scale")
                .isNull();
        report(db0, pre, 0, "Before VM resize");
        await().atMost(Duration.ofSeconds(30)).until(() -> instanceOn(db0.node(), db0.partition()).orElseThrow().cluster().resources() != null);
        Instance applied = instanceOn(db0.node(), db0.partition()).orElseThrow();
        assertThat(applied.cluster().resources().memoryBytes()).isEqualTo(64L << 20);
        assertThat(applied.cluster().resources().cpus()).isEqualTo(0.5);
        assertThat(alice.cluster("db").task()).as("until the node applied it").isEqualTo(ClusterTask.RESIZING);
        nodes.get(db0.node()).reportInstance(db0.node(), db0.partition(), InstanceState.STARTED, "", applied.timestamp());
        PartitionJob post = job(db0, "scaling-hook", "post-scale");
        report(db0, post, 0, "After VM resize");
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.cluster("db").task() == ClusterTask.NONE);
        assertThat(alice.cluster("db").lastError()).isNull();
        assertThat(events()).anyMatch(e -> e.contains("vm_resize of db.0 done"));
    }

    @Test
    void aFailingPreScaleStopsAResizeBeforeAnythingChanged() {
        createDb(1);
        ClusterMember db0 = member("db.0");
        alice.resizeMember("db", "db.0", "64M", null);
        report(db0, job(db0, "scaling-hook", "pre-scale"), 1, "busy");
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.cluster("db").task() == ClusterTask.NONE);
        assertThat(alice.cluster("db").lastError()).contains("pre-scale failed on db.0 (exit 1").contains("nothing changed");
        assertThat(instanceOn(db0.node(), db0.partition()).orElseThrow().cluster().resources()).isNull();
    }

    List<PartitionJob> jobsOf(ClusterMember x) {
        return nodes.get(x.node()).nodeInfo(x.node()).partitions().stream().filter(p -> p.id().equals(x.partition()))
                .findFirst().map(PartitionInfo::jobs).orElse(List.of());
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
