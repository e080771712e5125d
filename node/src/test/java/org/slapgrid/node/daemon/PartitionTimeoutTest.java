package org.slapgrid.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.slap.model.InstanceState;

/**
 * A buildout that never ends is killed at its partition's own timeout (issue 12): partition A's
 * profile sleeps for an hour; with {@code partition_timeout} at 20 s its buildout is killed after
 * 20 s, A reports the timeout as its error and backs off on its own (growing), and a request of
 * C made while A's buildout hangs is published while it still hangs. Real master, supervisord and
 * users. (The timeout was 4 s: it also bounds C's own buildout, a JVM child that a loaded 2-core
 * machine may not finish in 4 s.)
 */
class PartitionTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String NEVER_ENDS = "sleep 3599";

    @TempDir
    Path tmp;

    @Test
    void aBuildoutThatNeverEndsIsKilledAtItsPartitionsTimeoutAndDelaysNoOtherPartition() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || "true".equals(System.getenv("CI")),
                "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-timeout", "sgtmo", 3, PartitionTimeoutTest::shortTimeout)) {
            String hanging = NodeFixture.writeRelease(tmp.resolve("hanging"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = hang\n\n[hang]\nrecipe = plone.recipe.command\ncommand = " + NEVER_ENDS
                            + "\nstop-on-error = true\n");
            String publishing = NodeFixture.writeRelease(tmp.resolve("publishing"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = publish\n\n[publish]\nrecipe = slapos.cookbook:publish\ngreeting = hello\n");
            n.supplyAndBuild(hanging);
            n.supplyAndBuild(publishing);

            NodeDaemon daemon = new NodeDaemon(n.assemble(Duration.ofSeconds(10)), Duration.ofSeconds(30),
                    Duration.ofMinutes(10), Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), n.logger());
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                long t0 = System.nanoTime();
                String a = n.admin().request(n.request("a", hanging, Map.of())).partition();
                Path aDir = n.partition(a).directory();
                await().atMost(Duration.ofSeconds(20)).until(() -> !hanging(aDir).isEmpty());
                java.util.List<ProcessHandle> first = hanging(aDir);

                long t1 = System.nanoTime();
                n.admin().request(n.request("c", publishing, Map.of()));
                // not waiting behind A: published while A's buildout still hangs (asserted next), before its timeout
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50))
                        .until(() -> "hello".equals(n.admin().info("c").connectionParameters().get("greeting")));
                System.out.println("C published " + (System.nanoTime() - t1) / 1_000_000 + " ms after its request"
                        + " while A's buildout hangs");
                assertThat(first).as("A's buildout still runs when C is published").allMatch(ProcessHandle::isAlive);

                await().atMost(TIMEOUT.plusSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> n.admin().info("a").reportedState() == InstanceState.ERROR);
                long killedAfter = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("A's hanging buildout reported as an error " + killedAfter + " ms after its request");
                assertThat(n.admin().info("a").errorLog()).as("A's report says why").contains("timed out after " + TIMEOUT.toSeconds() + " s");
                assertThat(killedAfter).as("killed at A's own timeout, not later").isGreaterThanOrEqualTo(TIMEOUT.toMillis())
                        .isLessThan(TIMEOUT.toMillis() + 60_000); // not at the queue's own timeout (partition_timeout + 5 min)
                await().atMost(Duration.ofSeconds(30)).alias("the hanging command is killed with its buildout")
                        .until(() -> first.stream().noneMatch(ProcessHandle::isAlive));
                // each attempt hangs for TIMEOUT before its backoff: two more of them
                await().atMost(TIMEOUT.multipliedBy(2).plusSeconds(60)).untilAsserted(() -> assertThat(n.log())
                        .as("A backs off on its own, growing").contains(a + ": next attempt in 1 s", a + ": next attempt in 2 s"));
                n.partitions().stream().map(org.slapgrid.node.format.Partition::id).filter(id -> !id.equals(a)).forEach(id ->
                        assertThat(n.log()).as("nothing else backs off").doesNotContain(id + ": next attempt"));
                assertThat(n.admin().info("c").reportedState()).isEqualTo(InstanceState.STARTED);
            } catch (AssertionError | RuntimeException e) {
                System.err.println(n.log()); // what the node did, to read the failure by
                throw e;
            } finally {
                daemon.stop();
                thread.join(60_000);
            }
        }
    }

    private static NodeConfig shortTimeout(NodeConfig c) {
        return new NodeConfig(c.file(), c.masterUrl(), c.nodeId(), c.credentialsFile(), c.softwareRoot(), c.instanceRoot(),
                c.partitionCount(), c.ipv4Network(), c.periodicity(), TIMEOUT, c.parallelism(), c.multiUser())
                .withLimits(c.limits());
    }

    /** The never-ending commands running in the partition's directory. */
    private static java.util.List<ProcessHandle> hanging(Path dir) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith(NEVER_ENDS)
                && cwd(p).startsWith(dir)).toList();
    }

    private static Path cwd(ProcessHandle p) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
        } catch (java.io.IOException | RuntimeException e) {
            return Path.of("/nonexistent");
        }
    }
}
