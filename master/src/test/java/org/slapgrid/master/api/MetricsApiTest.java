package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterEvent;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.MetricAnswer;
import org.slapgrid.slap.model.MetricBatch;
import org.slapgrid.slap.model.MetricSeries;
import org.slapgrid.slap.model.ScalingPolicy;

/**
 * Metrics and scaling policies over HTTP: a real master (autoscaler every 200 ms), fake nodes
 * sending samples with their own secrets as a node daemon does, a user reading and setting.
 */
class MetricsApiTest {
    static final String SR = "https://example.org/sr/web.cfg";

    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    SlapClient alice;
    SlapClient bob;
    SlapClient n1;
    SlapClient n2;

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(config());
        admin = m.admin();
        n1 = m.client(admin.registerNode("n1", List.of("slappart0", "slappart1", "slappart2")).secret());
        n2 = m.client(admin.registerNode("n2", List.of("slappart0", "slappart1", "slappart2")).secret());
        admin.shareNode("n1", "alice");
        admin.shareNode("n2", "alice");
        alice = m.client(admin.createUserToken("alice", false).token());
        bob = m.client(admin.createUserToken("bob", false).token());
    }

    MasterConfig config() throws Exception {
        return MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200)).withAutoscaleInterval(Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        if (m != null) {
            m.close();
        }
    }

    ClusterInfo createWeb(int count, int min, int max) {
        return alice.createCluster(new ClusterRequest("web", SR, ClusterTopology.FLEX, Map.of(),
                List.of(new ClusterRole("web", "default", Map.of(), count, min, max))));
    }

    /** Each member's node sends {@code value} for {@code metric} now. */
    void send(String metric, double value) {
        ClusterInfo c = alice.cluster("web");
        for (ClusterMember mb : c.members()) {
            SlapClient node = mb.node().equals("n1") ? n1 : n2;
            node.sendMetrics(mb.node(), new MetricBatch(List.of(new MetricBatch.Sample(mb.partition(), metric,
                    System.currentTimeMillis(), value))));
        }
    }

    @Test
    void aNodeSendsItsPartitionsSamplesOnlyAndTheClustersSeriesShowThem() {
        ClusterInfo c = createWeb(2, 1, 4);
        ClusterMember web0 = c.members().get(0);
        SlapClient node0 = web0.node().equals("n1") ? n1 : n2;
        String free = "slappart2";
        long now = System.currentTimeMillis();
        MetricAnswer a = node0.sendMetrics(web0.node(), new MetricBatch(List.of(
                new MetricBatch.Sample(web0.partition(), "load", now - 20_000, 2),
                new MetricBatch.Sample(web0.partition(), "load", now, 4),
                new MetricBatch.Sample(web0.partition(), "memory", now, 1 << 20),
                new MetricBatch.Sample(free, "load", now, 1),
                new MetricBatch.Sample(web0.partition(), "Bad Name", now, 1),
                new MetricBatch.Sample(web0.partition(), "load", now + 3600_000, 1))));
        assertThat(a.accepted()).isEqualTo(3);
        assertThat(a.dropped()).isEqualTo(3);
        assertThat(a.why()).contains("partition hosts no instance=1", "bad metric name=1", "time out of range=1");

        MetricSeries s = alice.clusterMetrics("web", null, null);
        assertThat(s.resolutionSeconds()).isEqualTo(10);
        assertThat(s.series()).extracting(MetricSeries.Series::member, MetricSeries.Series::metric)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web.0", "load"), org.assertj.core.groups.Tuple.tuple("web.0", "memory"));
        MetricSeries.Series load = s.series().get(0);
        assertThat(load.last()).isEqualTo(4.0);
        assertThat(load.instance()).isEqualTo("web/web.0");
        assertThat(load.points()).extracting(MetricSeries.Point::avg).containsExactly(2.0, 4.0);
        assertThat(alice.clusterMetrics("web", now - 5_000, "load").series()).singleElement()
                .satisfies(x -> assertThat(x.points()).extracting(MetricSeries.Point::avg).containsExactly(4.0));
        assertThat(alice.instanceMetrics("web/web.0", null, "memory").series()).singleElement()
                .satisfies(x -> assertThat(x.last()).isEqualTo(1 << 20));

        // another node's credential, another user, too big a batch
        SlapClient other = node0 == n1 ? n2 : n1;
        assertThatThrownBy(() -> other.sendMetrics(web0.node(), new MetricBatch(List.of())))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> alice.sendMetrics(web0.node(), new MetricBatch(List.of())))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> bob.clusterMetrics("web", null, null))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> bob.instanceMetrics("web/web.0", null, null))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        List<MetricBatch.Sample> many = new ArrayList<>();
        for (int i = 0; i <= MetricBatch.MAX_SAMPLES; i++) {
            many.add(new MetricBatch.Sample(web0.partition(), "load", now, i));
        }
        assertThatThrownBy(() -> node0.sendMetrics(web0.node(), new MetricBatch(many)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void aPolicyIsCheckedAndListed() {
        createWeb(1, 1, 3);
        assertThatThrownBy(() -> alice.setScalingPolicy("web", new ScalingPolicy("web", "load", "avg", 1.0, 5, 2.0, 5, 1, 10, true)))
                .isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("scaleInBelow (2.0) must be under scaleOutAbove (1.0)");
                });
        assertThatThrownBy(() -> alice.setScalingPolicy("web", new ScalingPolicy("web", "load", "median", 5.0, 5, null, null, null, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.getMessage()).contains("aggregate must be avg or max"));
        assertThatThrownBy(() -> alice.setScalingPolicy("web", new ScalingPolicy("nope", "load", null, 5.0, 5, null, null, null, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> bob.setScalingPolicy("web", new ScalingPolicy("web", "load", null, 5.0, 5, null, null, null, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        ScalingPolicy set = alice.setScalingPolicy("web", new ScalingPolicy("web", "load", null, 5.0, null, null, null, null, null, null));
        assertThat(set).isEqualTo(new ScalingPolicy("web", "load", "avg", 5.0, 60, null, 60, 1, 300, true));
        assertThat(alice.scalingPolicies("web")).containsExactly(set);
        alice.deleteScalingPolicy("web", "web");
        assertThat(alice.scalingPolicies("web")).isEmpty();
        alice.setScalingPolicy("web", set);
        alice.destroyCluster("web"); // its policy goes with it
        long left = m.master.database().read(c -> org.slapgrid.master.store.Sql.one(c, "SELECT COUNT(*) FROM cluster_policy",
                rs -> rs.getLong(1))).orElseThrow();
        assertThat(left).isZero();
    }

    @Test
    void theAutoscalerGrowsAboveAndShrinksBelowEachHeldForItsDurationNeverInsideTheCooldown() {
        createWeb(1, 1, 2);
        alice.setScalingPolicy("web", new ScalingPolicy("web", "load", "avg", 5.0, 1, 1.0, 1, 1, 3, true));
        send("load", 9);
        long t0 = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            send("load", 9);
            return alice.cluster("web").members().size() == 2;
        });
        long grewAfter = System.currentTimeMillis() - t0;
        assertThat(grewAfter).as("duration (1 s) + one evaluation (0.2 s), with slack").isBetween(900L, 4000L);
        // below at once: held 1 s, then the cooldown (3 s since the scale-out) holds it
        long grewAt = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            send("load", 0);
            int size = alice.cluster("web").members().size();
            if (size == 2) {
                return false;
            }
            assertThat(System.currentTimeMillis() - grewAt).as("not inside the cooldown").isGreaterThanOrEqualTo(2500L);
            return true;
        });
        assertThat(alice.cluster("web").members()).extracting(ClusterMember::name).containsExactly("web.0");

        // every decision is in the cluster's events with its reason, each state said once
        List<ClusterEvent> decisions = alice.clusterEvents("web").stream().filter(e -> e.kind().startsWith("autoscale.")).toList();
        // (no "at_max" expected: the load falls as soon as the growth is seen, so an evaluation at
        // the maximum with the load still high may or may not come in between)
        assertThat(decisions).extracting(ClusterEvent::kind).containsSubsequence("autoscale.held", "autoscale.scale_out",
                "autoscale.held", "autoscale.cooldown", "autoscale.scale_in");
        ClusterEvent out = decisions.stream().filter(e -> e.kind().equals("autoscale.scale_out")).findFirst().orElseThrow();
        assertThat(out.message()).startsWith("avg load of role 'web' 9 above 5 for ").endsWith("(>= 1 s): adding 1 member, 1 -> 2");
        assertThat(out.details()).containsEntry("value", 9.0).containsEntry("threshold", 5.0).containsEntry("durationSeconds", 1)
                .containsEntry("from", 1).containsEntry("to", 2).containsKey("heldSeconds");
        ClusterEvent in = decisions.stream().filter(e -> e.kind().equals("autoscale.scale_in")).findFirst().orElseThrow();
        assertThat(in.details()).containsEntry("threshold", 1.0);
        assertThat(alice.clusterEvents("web")).filteredOn(e -> e.kind().equals("shrink.chosen")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("members", List.of("web.1")));
        assertThat(in.at() - out.at()).as("no scale-in inside the cooldown").isGreaterThanOrEqualTo(3000);
        ClusterEvent cool = decisions.stream().filter(e -> e.kind().equals("autoscale.cooldown")).findFirst().orElseThrow();
        assertThat(cool.message()).contains("but the last action was", "(cooldown 3 s)");
        assertThat(decisions.stream().filter(e -> e.kind().equals("autoscale.cooldown"))).as("said once, not at every evaluation").hasSize(1);
    }

    /** The node of {@code member} reports it in error (on its current version). */
    void inError(String member) {
        ClusterMember mb = alice.cluster("web").members().stream().filter(x -> x.name().equals(member)).findFirst().orElseThrow();
        SlapClient node = mb.node().equals("n1") ? n1 : n2;
        long ts = node.nodeInfo(mb.node()).partitions().stream().filter(p -> p.id().equals(mb.partition())).findFirst()
                .orElseThrow().instance().timestamp();
        node.reportInstance(mb.node(), mb.partition(), org.slapgrid.slap.model.InstanceState.ERROR, "boom", ts);
    }

    List<String> names() {
        return alice.cluster("web").members().stream().map(ClusterMember::name).toList();
    }

    @Test
    void aScaleInRemovesThroughTheDeletionPolicyMembersInErrorFirstThenItsCriteria() {
        createWeb(4, 2, 5); // min 2: the scale-ins stop at web.0 and one other
        alice.setDeletionPolicy("web", new org.slapgrid.slap.model.DeletionPolicy(
                org.slapgrid.slap.model.DeletionPolicy.Criteria.OLDEST_FIRST, null, null, null));
        inError("web.2");
        alice.setScalingPolicy("web", new ScalingPolicy("web", "load", "avg", 100.0, 0, 1.0, 0, 1, 1, true));
        // first the member in error (not the youngest, web.3), then the oldest that is not the primary (web.0)
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            send("load", 0);
            return names().size() == 3;
        });
        assertThat(names()).containsExactly("web.0", "web.1", "web.3");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            send("load", 0);
            return names().size() == 2;
        });
        assertThat(names()).containsExactly("web.0", "web.3");
        List<ClusterEvent> chosen = alice.clusterEvents("web").stream().filter(e -> e.kind().equals("shrink.chosen")).toList();
        assertThat(chosen).extracting(e -> e.details().get("members")).containsExactly(List.of("web.2"), List.of("web.1"));
        assertThat(chosen.get(0).details()).containsEntry("criteria", "OLDEST_FIRST").containsEntry("inError", List.of("web.2"));
        assertThat(chosen.get(0).message()).contains("chose web.2 of role 'web' (in error: web.2)");

        // YOUNGEST_FIRST: the youngest that is not the primary
        await().atMost(Duration.ofSeconds(10)).until(() -> alice.cluster("web").task() == org.slapgrid.slap.model.ClusterTask.NONE);
        alice.setDeletionPolicy("web", new org.slapgrid.slap.model.DeletionPolicy(
                org.slapgrid.slap.model.DeletionPolicy.Criteria.YOUNGEST_FIRST, null, null, null));
        alice.growCluster("web", "web", 1);
        assertThat(names()).containsExactly("web.0", "web.3", "web.4");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            send("load", 0);
            return names().size() == 2;
        });
        assertThat(names()).containsExactly("web.0", "web.3");
    }

    @Test
    void aRefusedScaleOutIsSaidWithTheMastersMessageAndStartsTheCooldown() {
        createWeb(1, 1, 10);
        alice.setScalingPolicy("web", new ScalingPolicy("web", "load", "max", 5.0, 0, null, null, 9, 60, true));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            send("load", 9);
            return alice.clusterEvents("web").stream().anyMatch(e -> e.kind().equals("autoscale.scale_out_refused"));
        });
        List<ClusterEvent> decisions = alice.clusterEvents("web").stream().filter(e -> e.kind().startsWith("autoscale.")).toList();
        ClusterEvent refused = decisions.stream().filter(e -> e.kind().equals("autoscale.scale_out_refused")).findFirst().orElseThrow();
        assertThat(refused.message()).startsWith("the grow was refused: ");
        assertThat(refused.details()).containsKey("error").containsEntry("to", 10);
        assertThat(alice.cluster("web").members()).as("the 6 partitions of the two nodes").hasSize(6);
        // the autoscaler evaluated again since (each change of what it decides is said): had the
        // refusal not started the cooldown, that decision would be a second scale-out, refused again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> !decisionsSinceRefusal().isEmpty());
        assertThat(decisionsSinceRefusal()).as("not asked again inside the cooldown").first().isEqualTo("autoscale.cooldown");
        // and five evaluations more (one each 200 ms) do not ask again either
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(alice.clusterEvents("web")).filteredOn(e -> e.kind().equals("autoscale.scale_out_refused"))
                        .as("not asked again inside the cooldown").hasSize(1));
    }

    /** The kinds of the autoscaler's decisions on "web" after its first refused scale-out, in order. */
    List<String> decisionsSinceRefusal() {
        List<String> kinds = alice.clusterEvents("web").stream().map(ClusterEvent::kind).filter(k -> k.startsWith("autoscale.")).toList();
        return kinds.subList(kinds.indexOf("autoscale.scale_out_refused") + 1, kinds.size());
    }
}
