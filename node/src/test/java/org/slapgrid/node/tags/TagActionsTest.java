package org.slapgrid.node.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.daemon.ControlSocket;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.testing.Require;

/**
 * Issue 15's test of actions by tag: a cluster of 2 members, each running seed 002's pod
 * services tagged {@code sm}/{@code db} and {@code pod01}/{@code pod02} (plus one untagged
 * service), under a real master and two real nodes (each its daemon and its supervisord, one
 * member on each). {@code cluster stop --tags pod01} stops exactly the pod01 services on every
 * member, each through its own node; a re-convergence (forced, with a
 * buildout run) keeps them stopped; the status report says "stopped on purpose" and the partition
 * is not down; {@code start --tags pod01} brings them back; {@code sm+pod02,db} selects as
 * OpenSVC would.
 */
class TagActionsTest {

    private static final List<String> SERVICES = List.of("pod01-sm", "pod01-db", "pod02-sm", "pod02-db", "monitor");

    @TempDir
    Path tmp;

    @Test
    void aClusterStopByTagStopsExactlyThoseServicesOnEveryMemberAndLasts() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // the release, read by its build user
        try (NodeFixture a = NodeFixture.start(Files.createDirectories(tmp.resolve("a")), "node-tags", "sgtag", 1);
             NodeFixture b = NodeFixture.join(Files.createDirectories(tmp.resolve("b")), a, "node-tagb", "sgtagb", 1)) {
            String url = NodeFixture.writeRelease(tmp.resolve("pods"), "[buildout]\nparts = instance-profile\n", profile());
            try (var da = a.runDaemon(Duration.ofSeconds(30)); var db = b.runDaemon(Duration.ofSeconds(30))) {
                a.admin().createCluster(new ClusterRequest("spd", url, ClusterTopology.FLEX, Map.of(),
                        List.of(new ClusterRole("pod", "default", null, 2, 2, 2))));
                Members m = Members.of(a.admin().cluster("spd").members(), List.of(a, b));
                assertThat(m.byName().values()).extracting(x -> x.node().nodeId()).as("one member on each node")
                        .containsExactlyInAnyOrder("node-tags", "node-tagb");
                m.awaitRunning(m.all(SERVICES), 120);

                a.admin().clusterServices("spd", "stop", "pod01");
                m.awaitRunning(m.all(List.of("pod02-sm", "pod02-db", "monitor")), 20);
                for (String member : m.byName().keySet()) {
                    assertThat(m.state(member, "pod01-sm")).as("stopped, not crashed").isEqualTo(ProcessState.STOPPED);
                }

                // the status tree at the master: stopped on purpose, tags shown, the instance not down
                for (String member : m.byName().keySet()) {
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        PartitionStatus s = a.admin().status("spd/" + member);
                        assertThat(s.services()).filteredOn(PartitionStatus.Service::stoppedOnPurpose)
                                .extracting(sv -> sv.name().substring(sv.name().indexOf('_') + 1))
                                .containsExactlyInAnyOrder("pod01-sm", "pod01-db");
                        assertThat(s.services()).filteredOn(sv -> sv.name().endsWith("pod01-db")).singleElement()
                                .satisfies(sv -> assertThat(sv.tags()).containsExactly("db", "pod01"));
                    });
                    assertThat(a.admin().info("spd/" + member).reportedState()).isEqualTo(InstanceState.STARTED);
                }

                // a re-convergence of each node (its daemon asked to run every buildout again) keeps them stopped
                for (NodeFixture n : List.of(a, b)) {
                    var outcomes = ControlSocket.ask(ControlSocket.pathFor(n.config()), new InstanceConverger.Selection(true, null))
                            .orElseThrow();
                    assertThat(outcomes).as(n.log()).extracting(PartitionOutcome::kind).containsOnly(PartitionOutcome.Kind.CONVERGED);
                }
                assertThat(m.running()).isEqualTo(m.all(List.of("pod02-sm", "pod02-db", "monitor")));

                a.admin().clusterServices("spd", "start", "pod01");
                m.awaitRunning(m.all(SERVICES), 20);

                // OpenSVC's sm+pod02,db: pod02's sm, and every db
                a.admin().clusterServices("spd", "stop", "sm+pod02,db");
                m.awaitRunning(m.all(List.of("pod01-sm", "monitor")), 20);
                a.admin().clusterServices("spd", "start", "sm+pod02,db");
                m.awaitRunning(m.all(SERVICES), 20);

                // a restart by tag, once (a restart job per member): only the selected services get
                // a new pid, and one stopped on purpose stays stopped
                a.admin().clusterServices("spd", "stop", "pod01");
                m.awaitRunning(m.all(List.of("pod02-sm", "pod02-db", "monitor")), 20);
                Map<String, Integer> before = m.pids();
                a.admin().clusterServices("spd", "restart", "sm");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                    Map<String, Integer> now = m.pids();
                    for (String member : m.byName().keySet()) {
                        assertThat(now.get(member + ":pod02-sm")).as(m.logs()).isNotNull().isNotEqualTo(before.get(member + ":pod02-sm"));
                    }
                });
                Map<String, Integer> after = m.pids();
                for (String member : m.byName().keySet()) {
                    assertThat(after.get(member + ":pod02-db")).isEqualTo(before.get(member + ":pod02-db"));
                    assertThat(after.get(member + ":monitor")).isEqualTo(before.get(member + ":monitor"));
                    assertThat(after).doesNotContainKey(member + ":pod01-sm");
                }
            }
        }
    }

    /** Seed 002's pods as services of one instance: a spider (sm) and a mariadb (db) per pod. */
    private static String profile() {
        StringBuilder s = new StringBuilder("[buildout]\nparts = directory");
        SERVICES.forEach(name -> s.append(' ').append(name));
        s.append("\n\n[directory]\nrecipe = slapos.cookbook:mkdirectory\nservice = ${buildout:directory}/etc/service\n");
        for (String name : SERVICES) {
            s.append("\n[").append(name).append("]\nrecipe = slapos.cookbook:wrapper\ncommand-line = sleep 3600\n")
                    .append("wrapper-path = ${directory:service}/").append(name).append('\n');
            if (!name.equals("monitor")) {
                String[] podAndKind = name.split("-");
                s.append("tags = ").append(podAndKind[1]).append(' ').append(podAndKind[0]).append('\n');
            }
        }
        return s.toString();
    }
}
