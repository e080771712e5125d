package org.slapgrid.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.slap.model.PartitionStatus;

/**
 * After a service crashes and the node restarts it, the instance's status tree at the master
 * shows the restarted service (new pid, one restart) promptly: within the status tree's rate
 * limit, not at the daemon's next periodic sweep (10 minutes here). Real supervisord, kill -9.
 */
class CrashRestartStatusTest {

    /** The status trees' rate limit, the restart's own delay (1 s) and a margin: far below the 10-minute sweep. */
    private static final Duration WITHIN = NodeDaemon.STATUS_INTERVAL.plusSeconds(8);

    @TempDir
    Path tmp;

    @Test
    void theStatusTreeAfterACrashRestartReachesTheMasterWithoutWaitingForTheSweep() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || "true".equals(System.getenv("CI")),
                "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-crst", "sgcrst", 2)) {
            String url = NodeFixture.writeRelease(tmp.resolve("service"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = directory service\n\n[directory]\nrecipe = slapos.cookbook:mkdirectory\n"
                            + "service = ${buildout:directory}/etc/service\n\n[service]\nrecipe = slapos.cookbook:wrapper\n"
                            + "command-line = sleep 10007\nwrapper-path = ${directory:service}/idle\n");
            n.supplyAndBuild(url);
            NodeDaemon daemon = new NodeDaemon(n.assemble(Duration.ofSeconds(10)), Duration.ofSeconds(30),
                    Duration.ofMinutes(10), Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), n.logger());
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                String program = n.admin().request(n.request("s", url, Map.of())).partition() + "_idle";
                AtomicInteger pid = new AtomicInteger();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
                    PartitionStatus.Service sv = service(n, program);
                    assertThat(sv.state()).isEqualTo("RUNNING");
                    pid.set(sv.pid());
                });

                long t0 = System.nanoTime();
                ProcessHandle.of(pid.get()).orElseThrow().destroyForcibly(); // SIGKILL
                await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    PartitionStatus.Service sv = service(n, program);
                    assertThat(sv.state()).isEqualTo("RUNNING");
                    assertThat(sv.pid()).isNotEqualTo(pid.get());
                    assertThat(sv.restarts()).isEqualTo(1);
                });
                System.out.println("kill -9 to the restarted service in the master's status tree: "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms");
            } catch (AssertionError | RuntimeException e) {
                System.err.println(n.log()); // what the node did, to read the failure by
                throw e;
            } finally {
                daemon.stop();
                thread.join(60_000);
            }
        }
    }

    private static PartitionStatus.Service service(NodeFixture n, String program) {
        return n.admin().status("s").services().stream().filter(s -> s.name().equals(program)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + program + " in the status tree yet"));
    }
}
