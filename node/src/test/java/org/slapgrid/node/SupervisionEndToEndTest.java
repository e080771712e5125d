package org.slapgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.status.NodeStatus;
import org.slapgrid.node.supervisor.crash.CrashRateLimit;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.node.supervisor.crash.RestartPolicy;
import org.slapgrid.node.supervisor.crash.WatchSettings;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.testing.Require;

/**
 * Supervision with real parts (master, supervisord, users as root): a service killed with
 * SIGKILL is restarted and its bang recorded at the master; a crash loop produces a bounded
 * number of bangs; a broken promise turns the instance to error at the master and its recovery
 * back to started; a node that restarts takes the services over without restarting them;
 * destruction runs the prerm script first and honours its timeout.
 */
class SupervisionEndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void crashesBangsPromisesTakeoverAndDrain() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run)");
        Path markers = tmp.resolve("markers");
        Files.createDirectories(markers);
        Files.setPosixFilePermissions(markers, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (NodeFixture n = NodeFixture.start(tmp, "node-sup", "sgsup", 2)) {
            String url = copyRelease().toString();
            n.supplyAndBuild(url);
            n.admin().request(n.request("svc", url, Map.of("marker-dir", markers.toString())));
            n.convergeUntilSettled(Duration.ofSeconds(90));
            Instance svc = n.admin().info("svc");
            Partition partition = n.partition(svc.partition());
            String program = partition.id() + "_worker";

            // a killed service is restarted and reported
            WatchSettings fast = WatchSettings.defaults()
                    .withRestartPolicy(new RestartPolicy(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(60)))
                    .withRateLimit(new CrashRateLimit(3, Duration.ofMinutes(10)));
            try (CrashWatcher watcher = n.assembled().watchCrashes(fast)) {
                int pid = n.supervisor().client().getProcessInfo(program).pid();
                long killedAt = System.nanoTime();
                ProcessHandle.of(pid).orElseThrow().destroyForcibly();
                await().atMost(Duration.ofSeconds(10)).until(() -> n.bangs(svc.id()).size() == 1);
                long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.println("service crash to bang recorded at the master: " + tookMs + " ms");
                assertThat(n.bangs(svc.id()).get(0)).contains(program).contains("signal");
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    var info = n.supervisor().client().getProcessInfo(program);
                    return info.state() == ProcessState.RUNNING && info.pid() != pid;
                });

                // a crash loop: bangs, but bounded. The kill above opened the program's rate-limit
                // window, so the window holds maxReports bangs in all: the kill's, then the loop's
                // first ones; the crashes after them are only counted (summarised when it ends).
                n.admin().request(n.request("svc", url, Map.of("marker-dir", markers.toString(), "command", "sh -c 'exit 3'")));
                n.converge();
                await().atMost(Duration.ofSeconds(30)).until(() -> watcher.consecutiveCrashes(program) >= 6);
                int inWindow = fast.rateLimit().maxReports();
                await().atMost(Duration.ofSeconds(10)).until(() -> n.bangs(svc.id()).size() >= inWindow);
                List<String> loop = n.bangs(svc.id());
                assertThat(loop).as("the kill's bang + the loop's first crashes, up to the limit; 6 crashes seen")
                        .hasSize(inWindow);
                assertThat(loop.subList(1, loop.size())).as("the crash loop's bangs").isNotEmpty()
                        .allSatisfy(m -> assertThat(m).contains("exit status 3"));
                n.admin().request(n.request("svc", url, Map.of("marker-dir", markers.toString())));
                n.convergeUntilSettled(Duration.ofSeconds(60));
            }

            // a broken promise: error at the master; recovered: started
            Path flag = partition.directory().resolve("broken");
            Files.writeString(flag, "x");
            assertThat(n.converge()).extracting(PartitionOutcome::kind).containsExactly(PartitionOutcome.Kind.PROMISE_BROKEN);
            assertThat(n.admin().info("svc").reportedState()).isEqualTo(InstanceState.ERROR);
            assertThat(n.admin().info("svc").errorLog()).contains("the broken flag is set");
            NodeStatus.PartitionStatus broken = status(n, partition.id());
            assertThat(broken.overall()).isEqualTo("warn");
            assertThat(broken.instance()).isEqualTo("svc");
            assertThat(broken.promises()).singleElement().satisfies(pr -> {
                assertThat(pr.name()).isEqualTo("healthy");
                assertThat(pr.kept()).isFalse();
                assertThat(pr.output()).contains("the broken flag is set");
            });
            assertThat(broken.services()).singleElement().satisfies(svcStatus -> {
                assertThat(svcStatus.name()).isEqualTo("worker");
                assertThat(svcStatus.state()).isEqualTo("RUNNING");
                assertThat(svcStatus.pid()).isEqualTo(n.supervisor().client().getProcessInfo(program).pid());
            });
            Files.delete(flag);
            n.converge();
            assertThat(n.admin().info("svc").reportedState()).isEqualTo(InstanceState.STARTED);
            assertThat(status(n, partition.id()).overall()).isEqualTo("up");

            // a restarted node takes the services over without restarting them
            int before = n.supervisor().client().getProcessInfo(program).pid();
            try (NodeFixture.Restarted again = n.restartNode()) {
                again.node().converger().converge(n.node().nodeInfo(n.nodeId()), n.partitions(),
                        new org.slapgrid.node.instance.InstanceConverger.Selection(true, null));
                assertThat(n.supervisor().client().getProcessInfo(program).pid()).isEqualTo(before);
            }

            // destruction drains first. The prerm script writes as the partition's user, and what that
            // user owns in /tmp goes with the partition (docs/security.md 2.2): the marker file is the test's.
            Path drained = Files.writeString(markers.resolve("drained-" + partition.id()), "");
            Files.setPosixFilePermissions(drained, PosixFilePermissions.fromString("rw-rw-rw-"));
            n.admin().remove("svc");
            assertThat(n.converge()).extracting(PartitionOutcome::kind).contains(PartitionOutcome.Kind.DESTROYED);
            assertThat(markers.resolve("drained-" + partition.id())).as("prerm runs while the services still run")
                    .hasContent("drained service-running");
            Files.delete(markers.resolve("drained-" + partition.id())); // the partition may host the next instance

            // a drain that takes too long is cut at the instance's timeout, and destruction goes on
            n.admin().request(n.request("slow", url, Map.of("marker-dir", markers.toString(), "prerm-sleep", "60",
                    "slapgrid-drain-timeout", "1")));
            n.convergeUntilSettled(Duration.ofSeconds(60));
            String slowPartition = n.admin().info("slow").partition();
            n.admin().remove("slow");
            assertThat(n.converge()).filteredOn(o -> o.partition().equals(slowPartition))
                    .extracting(PartitionOutcome::kind, PartitionOutcome::detail)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(PartitionOutcome.Kind.DESTROYED, "drain not clean"));
            assertThat(n.log()).contains("prerm scripts did not finish in time; destroying anyway");
            assertThat(markers.resolve("drained-" + slowPartition)).doesNotExist();
        }
    }

    private static NodeStatus.PartitionStatus status(NodeFixture n, String partition) throws IOException {
        return NodeStatus.collect(n.config(), n.supervisor()).partitions().stream()
                .filter(p -> p.id().equals(partition)).findFirst().orElseThrow();
    }

    private Path copyRelease() throws IOException {
        Path dir = tmp.resolve("release");
        Files.createDirectories(dir);
        for (String f : List.of("software.cfg", "instance.cfg.in")) {
            try (var in = getClass().getResourceAsStream("/supervised-release/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir.resolve("software.cfg");
    }
}
