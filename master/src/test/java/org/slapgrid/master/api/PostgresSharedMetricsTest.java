package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.PostgresFixture;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterEvent;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.MetricBatch;
import org.slapgrid.slap.model.MetricSeries;
import org.slapgrid.slap.model.ScalingPolicy;

/**
 * Two masters on one real PostgreSQL share their metrics (docs/clusters.md "Metrics"): samples
 * posted to one are read through the other, the one master that evaluates the scaling
 * policies (advisory lock) acts on samples only the other received, and says each decision
 * once; when it stops, the other takes over.
 */
class PostgresSharedMetricsTest {
    static final String SR = "https://example.org/sr/web.cfg";
    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture("shared");

    @TempDir
    Path tmp;

    MasterConfig config() throws Exception {
        return MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200)).withAutoscaleInterval(Duration.ofMillis(200))
                .withDb(POSTGRES.newDatabase());
    }

    /** Every member's node sends {@code value} of {@code metric} now, through {@code via}'s master. */
    static void send(MasterFixture via, SlapClient user, Map<String, String> secrets, String metric, double value) {
        for (ClusterMember mb : user.cluster("web").members()) {
            via.client(secrets.get(mb.node())).sendMetrics(mb.node(), new MetricBatch(List.of(
                    new MetricBatch.Sample(mb.partition(), metric, System.currentTimeMillis(), value))));
        }
    }

    @Test
    void samplesPostedToOneMasterAreSeenAndActedOnByTheOtherAndOnlyOneEvaluates() throws Exception {
        MasterConfig config = config();
        MasterFixture a = new MasterFixture(config);
        MasterFixture b = new MasterFixture(config);
        java.util.Set<MasterFixture> open = new java.util.HashSet<>(List.of(a, b));
        try {
            SlapClient admin = a.admin();
            Map<String, String> secrets = new java.util.LinkedHashMap<>();
            for (String n : List.of("n1", "n2")) {
                secrets.put(n, admin.registerNode(n, List.of("slappart0", "slappart1", "slappart2")).secret());
                admin.shareNode(n, "alice");
            }
            String token = admin.createUserToken("alice", false).token();
            SlapClient aliceA = a.client(token);
            SlapClient aliceB = b.client(token);
            aliceA.createCluster(new ClusterRequest("web", SR, ClusterTopology.FLEX, Map.of(),
                    List.of(new ClusterRole("web", "default", Map.of(), 1, 1, 3))));

            // read through B what was posted to A
            send(a, aliceA, secrets, "load", 2.5);
            await().atMost(Duration.ofSeconds(30)).until(() -> aliceB.clusterMetrics("web", null, "load").series().size() == 1);
            MetricSeries.Series seen = aliceB.clusterMetrics("web", null, "load").series().get(0);
            assertThat(seen.last()).isEqualTo(2.5);
            assertThat(seen.points()).extracting(MetricSeries.Point::avg).containsExactly(2.5);
            assertThat(aliceB.instanceMetrics("web/web.0", null, "load").series()).singleElement()
                    .satisfies(s -> assertThat(s.last()).isEqualTo(2.5));

            // one master evaluates; the samples go to the other one only
            await().atMost(Duration.ofSeconds(30)).until(() -> a.master.autoscaler().evaluates() || b.master.autoscaler().evaluates());
            assertThat(a.master.autoscaler().evaluates() && b.master.autoscaler().evaluates()).as("never both").isFalse();
            MasterFixture evaluator = a.master.autoscaler().evaluates() ? a : b;
            MasterFixture other = evaluator == a ? b : a;
            SlapClient aliceOther = other.client(token);
            aliceOther.setScalingPolicy("web", new ScalingPolicy("web", "load", "avg", 5.0, 1, 1.0, 1, 1, 2, true));
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
                send(other, aliceOther, secrets, "load", 9);
                return aliceOther.cluster("web").members().size() == 2;
            });
            List<String> decisions = aliceOther.clusterEvents("web").stream().map(ClusterEvent::kind)
                    .filter(k -> k.startsWith("autoscale.")).toList();
            assertThat(decisions).as("each decision said once: one master evaluates").containsSubsequence("autoscale.held",
                    "autoscale.scale_out");
            assertThat(decisions.stream().filter(k -> k.equals("autoscale.held"))).hasSize(1);
            assertThat(decisions.stream().filter(k -> k.equals("autoscale.scale_out"))).hasSize(1);
            assertThat(other.master.autoscaler().evaluates()).isFalse();

            // the evaluator stops: its lock goes with its connection, the other takes over and scales in
            evaluator.close();
            open.remove(evaluator);
            await().atMost(Duration.ofSeconds(10)).until(() -> other.master.autoscaler().evaluates());
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                send(other, aliceOther, secrets, "load", 0);
                return aliceOther.cluster("web").members().size() == 1;
            });
            assertThat(aliceOther.clusterEvents("web")).extracting(ClusterEvent::kind).contains("autoscale.scale_in", "shrink.chosen");
            long rows = other.master.database().read(c -> org.slapgrid.master.store.Sql.one(c,
                    "SELECT COUNT(*) FROM metric_sample", rs -> rs.getLong(1))).orElseThrow();
            assertThat(rows).as("the samples are in the shared table").isPositive();
        } finally {
            open.forEach(MasterFixture::close);
        }
    }
}
