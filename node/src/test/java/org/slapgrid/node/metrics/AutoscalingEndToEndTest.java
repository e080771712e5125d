package org.slapgrid.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.daemon.NodeDaemon;
import org.slapgrid.slap.model.ClusterEvent;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.MetricSeries;
import org.slapgrid.slap.model.ScalingPolicy;

/**
 * Issue 14's autoscaling "done when", end to end: a real master (autoscaler every 500 ms), a
 * real node daemon (metrics every second) and supervisord. The members' profile installs
 * {@code etc/metric/load}, which prints the number in a file the test writes. Raised above the
 * threshold, the cluster grows within the duration and one evaluation (and one sample); lowered,
 * it shrinks, but not inside the cooldown.
 */
class AutoscalingEndToEndTest {

    static final Duration EVALUATION = Duration.ofMillis(500);
    static final int HOLD_SECONDS = 2;
    /** Longer than the new member takes to start (7 s on a loaded 2-core machine), so the scale-in meets it. */
    static final int COOLDOWN_SECONDS = 20;

    @TempDir
    Path tmp;

    @Test
    void theClusterGrowsAboveTheThresholdAndShrinksBelowItNeverInsideTheCooldown() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || "true".equals(System.getenv("CI")),
                "needs Debian's supervisor package (installed by .ci/run)");
        Path load = tmp.resolve("load");
        Files.writeString(load, "3\n");
        Files.setPosixFilePermissions(load, PosixFilePermissions.fromString("rw-r--r--"));
        try (NodeFixture n = NodeFixture.start(tmp, "node-as", "sgas", 3, c -> c, m -> m.withAutoscaleInterval(EVALUATION))) {
            String url = NodeFixture.writeRelease(tmp.resolve("release"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = directory metric publish\n\n[slap-configuration]\n"
                            + "recipe = slapos.cookbook:slapconfiguration\nconfiguration.load-file = /nonexistent\n\n"
                            + "[directory]\nrecipe = slapos.cookbook:mkdirectory\nmetric = ${buildout:directory}/etc/metric\n\n"
                            + "[metric]\nrecipe = slapos.cookbook:wrapper\n"
                            + "command-line = cat ${slap-configuration:configuration.load-file}\n"
                            + "wrapper-path = ${directory:metric}/load\n\n"
                            + "[publish]\nrecipe = slapos.cookbook:publish\nready = yes\n");
            n.supplyAndBuild(url);
            NodeDaemon daemon = new NodeDaemon(n.assembled(), Duration.ofSeconds(1), n.logger())
                    .withMetrics(new MetricSettings(Duration.ofSeconds(1), Duration.ofSeconds(5)));
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                n.admin().createCluster(new ClusterRequest("web", url, ClusterTopology.FLEX, Map.of("load-file", load.toString()),
                        List.of(new ClusterRole("web", "default", Map.of(), 1, 1, 2))));
                // scale-in removes what the deletion policy chooses (RANDOM by default): the youngest here
                n.admin().setDeletionPolicy("web", new org.slapgrid.slap.model.DeletionPolicy(
                        org.slapgrid.slap.model.DeletionPolicy.Criteria.YOUNGEST_FIRST, null, null, null));
                n.admin().setScalingPolicy("web", new ScalingPolicy("web", "load", "avg", 5.0, HOLD_SECONDS, 1.0, HOLD_SECONDS,
                        1, COOLDOWN_SECONDS, true));
                // the member converges and its node sends its load
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(lastLoad(n, "web.0")).as(n.log()).isEqualTo(3.0));

                Files.writeString(load, "9\n");
                long raised = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> n.admin().cluster("web").members().size() == 2);
                long grewAfter = System.currentTimeMillis() - raised;
                // the duration + one evaluation + one sample (the node's interval), and 2 s of slack for a loaded machine
                assertThat(grewAfter).as("grown " + grewAfter + " ms after the load was raised")
                        .isBetween(HOLD_SECONDS * 1000L, HOLD_SECONDS * 1000L + EVALUATION.toMillis() + 1000 + 2000);
                n.logger().accept("test: grown " + grewAfter + " ms after the load was raised");
                long grewAt = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(n.admin().info("web/web.1").reportedState()).as(n.log()).isEqualTo(InstanceState.STARTED));

                Files.writeString(load, "0\n");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    int members = n.admin().cluster("web").members().size();
                    if (members == 2) {
                        return false;
                    }
                    assertThat(System.currentTimeMillis() - grewAt).as("not inside the cooldown after the scale-out")
                            .isGreaterThanOrEqualTo(COOLDOWN_SECONDS * 1000L - 1000);
                    return true;
                });
                ClusterInfo after = n.admin().cluster("web");
                assertThat(after.members()).extracting(ClusterMember::name).containsExactly("web.0");
                // a decision is appended before the operation it starts: it is there once the member has left
                List<ClusterEvent> decisions = n.admin().clusterEvents("web").stream()
                        .filter(e -> e.kind().startsWith("autoscale.")).toList();
                assertThat(decisions).extracting(ClusterEvent::kind).as("%s", decisions).containsSubsequence("autoscale.held",
                        "autoscale.scale_out", "autoscale.cooldown", "autoscale.scale_in");
                ClusterEvent out = decisions.stream().filter(e -> e.kind().equals("autoscale.scale_out")).findFirst().orElseThrow();
                ClusterEvent in = decisions.stream().filter(e -> e.kind().equals("autoscale.scale_in")).findFirst().orElseThrow();
                assertThat(out.message()).matches("avg load of role 'web' 9 above 5 for [0-9.]+ s \\(>= 2 s\\): adding 1 member, 1 -> 2");
                assertThat(out.details()).containsEntry("value", 9.0).containsEntry("threshold", 5.0).containsEntry("durationSeconds", 2);
                assertThat(in.message()).matches("avg load of role 'web' 0 below 1 for [0-9.]+ s \\(>= 2 s\\): removing 1 member, 2 -> 1");
                // the member leaving is the deletion policy's choice, said in its own event
                ClusterEvent chosen = n.admin().clusterEvents("web").stream().filter(e -> e.kind().equals("shrink.chosen"))
                        .findFirst().orElseThrow();
                assertThat(chosen.at()).isGreaterThanOrEqualTo(in.at());
                assertThat(chosen.details()).containsEntry("members", List.of("web.1")).containsEntry("role", "web");
                assertThat(in.at() - out.at()).as("no flapping inside the cooldown").isGreaterThanOrEqualTo(COOLDOWN_SECONDS * 1000L);
                assertThat(decisions).filteredOn(e -> e.kind().equals("autoscale.scale_out") || e.kind().equals("autoscale.scale_in"))
                        .as("one action each way").hasSize(2);
                // the removed member is destroyed by the node, after its lifecycle hook: it has no
                // etc/lifecycle/termination, the cluster no webhook and nobody read its queue, so the
                // master completes the hook as soon as the node reports that (not at hook_timeout, 60 s)
                await().atMost(Duration.ofSeconds(40)).until(() -> n.admin().list().stream()
                        .noneMatch(i -> i.name().equals("web/web.1") && i.reportedState() != InstanceState.DESTROYED));
                assertThat(n.admin().clusterEvents("web")).extracting(ClusterEvent::message)
                        .anyMatch(m -> m.startsWith("web.1: lifecycle hook completed by the master after"));
            } finally {
                daemon.stop();
                thread.join(60_000);
            }
        }
    }

    private static Double lastLoad(NodeFixture n, String member) {
        MetricSeries s = n.admin().clusterMetrics("web", null, "load");
        return s.series().stream().filter(x -> member.equals(x.member())).map(MetricSeries.Series::last).findFirst().orElse(null);
    }
}
