package org.slapgrid.node.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.daemon.Backoff;
import org.slapgrid.node.daemon.NodeDaemon;
import org.slapgrid.node.supervisor.ProcessInfo;
import org.slapgrid.node.supervisor.ProcessState;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.testing.Require;

/**
 * Issue 15's test of actions by tag: a cluster of 2 members, each running seed 002's pod
 * services tagged {@code sm}/{@code db} and {@code pod01}/{@code pod02} (plus one untagged
 * service), under a real master, a real node daemon and supervisord. {@code cluster stop --tags
 * pod01} stops exactly the pod01 services on every member; a re-convergence (forced, with a
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
        try (NodeFixture n = NodeFixture.start(tmp, "node-tags", "sgtag", 2)) {
            String url = NodeFixture.writeRelease(tmp.resolve("pods"), "[buildout]\nparts = instance-profile\n", profile());
            n.supplyAndBuild(url);
            NodeDaemon daemon = new NodeDaemon(n.assemble(Duration.ofSeconds(20)), Duration.ofSeconds(30),
                    Duration.ofSeconds(30), Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), n.logger());
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                n.admin().createCluster(new ClusterRequest("spd", url, ClusterTopology.FLEX, Map.of(),
                        List.of(new ClusterRole("pod", "default", null, 2, 2, 2))));
                List<String> partitions = n.admin().cluster("spd").members().stream().map(ClusterMember::partition).toList();
                assertThat(partitions).hasSize(2);
                awaitRunning(n, partitions, all(partitions, SERVICES), 90);

                n.admin().clusterServices("spd", "stop", "pod01");
                awaitRunning(n, partitions, all(partitions, List.of("pod02-sm", "pod02-db", "monitor")), 20);
                for (String p : partitions) {
                    assertThat(state(n.supervisor(), p, "pod01-sm")).as("stopped, not crashed").isEqualTo(ProcessState.STOPPED);
                }

                // the status tree at the master: stopped on purpose, tags shown, the instance not down
                ClusterMember first = n.admin().cluster("spd").members().get(0);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    PartitionStatus s = n.admin().status("spd/" + first.name());
                    assertThat(s.services()).filteredOn(PartitionStatus.Service::stoppedOnPurpose)
                            .extracting(sv -> sv.name().substring(sv.name().indexOf('_') + 1))
                            .containsExactlyInAnyOrder("pod01-sm", "pod01-db");
                    assertThat(s.services()).filteredOn(sv -> sv.name().endsWith("pod01-db")).singleElement()
                            .satisfies(sv -> assertThat(sv.tags()).containsExactly("db", "pod01"));
                });
                assertThat(n.admin().info("spd/" + first.name()).reportedState()).isEqualTo(InstanceState.STARTED);

                // a re-convergence (the daemon asked to run every buildout again) keeps them stopped
                var outcomes = org.slapgrid.node.daemon.ControlSocket.ask(org.slapgrid.node.daemon.ControlSocket.pathFor(n.config()),
                        new org.slapgrid.node.instance.InstanceConverger.Selection(true, null)).orElseThrow();
                assertThat(outcomes).as(n.log()).extracting(o -> o.kind())
                        .containsOnly(org.slapgrid.node.instance.PartitionOutcome.Kind.CONVERGED);
                assertThat(running(n.supervisor(), partitions)).isEqualTo(all(partitions, List.of("pod02-sm", "pod02-db", "monitor")));

                n.admin().clusterServices("spd", "start", "pod01");
                awaitRunning(n, partitions, all(partitions, SERVICES), 20);

                // OpenSVC's sm+pod02,db: pod02's sm, and every db
                n.admin().clusterServices("spd", "stop", "sm+pod02,db");
                awaitRunning(n, partitions, all(partitions, List.of("pod01-sm", "monitor")), 20);
                n.admin().clusterServices("spd", "start", "sm+pod02,db");
                awaitRunning(n, partitions, all(partitions, SERVICES), 20);

                // a restart by tag, once (a restart job per member): only the selected services get
                // a new pid, and one stopped on purpose stays stopped
                n.admin().clusterServices("spd", "stop", "pod01");
                awaitRunning(n, partitions, all(partitions, List.of("pod02-sm", "pod02-db", "monitor")), 20);
                Map<String, Integer> before = pids(n.supervisor(), partitions);
                n.admin().clusterServices("spd", "restart", "sm");
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
                    Map<String, Integer> now = pids(n.supervisor(), partitions);
                    for (String p : partitions) {
                        assertThat(now.get(p + ":pod02-sm")).as(n.log()).isNotNull().isNotEqualTo(before.get(p + ":pod02-sm"));
                    }
                });
                Map<String, Integer> after = pids(n.supervisor(), partitions);
                for (String p : partitions) {
                    assertThat(after.get(p + ":pod02-db")).isEqualTo(before.get(p + ":pod02-db"));
                    assertThat(after.get(p + ":monitor")).isEqualTo(before.get(p + ":monitor"));
                    assertThat(after).doesNotContainKey(p + ":pod01-sm");
                }
            } finally {
                daemon.stop();
                thread.join(60_000);
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

    /** Waits until exactly {@code expected} run (what the node logged in the failure's message). */
    private static void awaitRunning(NodeFixture n, List<String> partitions, Set<String> expected, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() ->
                assertThat(running(n.supervisor(), partitions)).as(n.log()).isEqualTo(expected));
    }

    /** partition:script for each partition and script. */
    private static Set<String> all(List<String> partitions, List<String> scripts) {
        Set<String> out = new TreeSet<>();
        partitions.forEach(p -> scripts.forEach(s -> out.add(p + ":" + s)));
        return out;
    }

    /** partition:script of each program of these partitions that runs. */
    private static Set<String> running(Supervisor supervisor, List<String> partitions) {
        Map<String, ProcessInfo> byName = new TreeMap<>();
        supervisor.client().getAllProcessInfo().forEach(p -> byName.put(p.name(), p));
        Set<String> out = new TreeSet<>();
        supervisor.managedPrograms().values().forEach(m -> {
            ProcessInfo info = byName.get(m.spec().name());
            if (partitions.contains(m.spec().partitionId()) && info != null && info.state() == ProcessState.RUNNING) {
                out.add(m.spec().partitionId() + ":" + m.spec().scriptName());
            }
        });
        return out;
    }

    /** partition:script to pid of each running program of these partitions. */
    private static Map<String, Integer> pids(Supervisor supervisor, List<String> partitions) {
        Map<String, ProcessInfo> byName = new TreeMap<>();
        supervisor.client().getAllProcessInfo().forEach(p -> byName.put(p.name(), p));
        Map<String, Integer> out = new TreeMap<>();
        supervisor.managedPrograms().values().forEach(m -> {
            ProcessInfo info = byName.get(m.spec().name());
            if (partitions.contains(m.spec().partitionId()) && info != null && info.state() == ProcessState.RUNNING) {
                out.put(m.spec().partitionId() + ":" + m.spec().scriptName(), info.pid());
            }
        });
        return out;
    }

    private static ProcessState state(Supervisor supervisor, String partition, String script) {
        String name = supervisor.managedPrograms().values().stream()
                .filter(m -> m.spec().partitionId().equals(partition) && m.spec().scriptName().equals(script))
                .findFirst().orElseThrow().spec().name();
        return supervisor.client().getProcessInfo(name).state();
    }
}
