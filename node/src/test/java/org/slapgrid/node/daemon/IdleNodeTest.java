package org.slapgrid.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;

/**
 * An idle node with 100 converged partitions sends nothing to the master (issue 12, done when
 * 3): no report, no publish, no bang; only its polls (and its metrics, a sample stream on a
 * timer of their own, at most one round in the time watched). Counted at the master's door (a proxy in
 * front of it). The daemon's timer runs every 2 s instead of 30 s, so the 20 s watched are ten
 * sweeps over every partition (promises included): five minutes of an idle daemon.
 */
class IdleNodeTest {

    private static final int PARTITIONS = 100;
    private static final int WITH_PROMISE = 10;
    private static final Duration PERIOD = Duration.ofSeconds(2);
    private static final Duration WATCHED = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void anIdleNodeWithAHundredConvergedPartitionsSendsNoReport() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || "true".equals(System.getenv("CI")),
                "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-idle", "sgidle", PARTITIONS);
             CountingProxy master = new CountingProxy(n.master().url())) {
            String plain = NodeFixture.writeRelease(tmp.resolve("plain"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = publish\n\n[slap-configuration]\nrecipe = slapos.cookbook:slapconfiguration\n\n"
                            + "[publish]\nrecipe = slapos.cookbook:publish\naddress = ${slap-configuration:ipv4-random}\n");
            String promised = NodeFixture.writeRelease(tmp.resolve("promised"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = directory promise publish\n\n[directory]\nrecipe = slapos.cookbook:mkdirectory\n"
                            + "promise = ${buildout:directory}/etc/promise\n\n[promise]\nrecipe = slapos.cookbook:wrapper\n"
                            + "command-line = true\nwrapper-path = ${directory:promise}/kept\n\n"
                            + "[publish]\nrecipe = slapos.cookbook:publish\nkept = yes\n");
            n.supplyAndBuild(plain);
            n.supplyAndBuild(promised);
            for (int i = 0; i < PARTITIONS; i++) {
                n.admin().request(n.request("i" + i, i < WITH_PROMISE ? promised : plain, Map.of("n", i)));
            }
            NodeDaemon daemon = new NodeDaemon(n.assembleThrough(master.url(), Duration.ofSeconds(20)), Duration.ofSeconds(1),
                    PERIOD, NodeDaemon.PARTITION_BACKOFF, n.logger());
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> IntStream.range(0, PARTITIONS)
                        .allMatch(i -> converged(n.admin().info("i" + i))));
                long settledAt = daemon.iterations();
                await().atMost(Duration.ofSeconds(30)).until(() -> daemon.iterations() >= settledAt + 2); // two sweeps more
                // A status tree that changed within STATUS_INTERVAL of the last one sent is sent when
                // that interval has passed: the node is idle once nothing was written for longer
                // than that (a node that kept writing would never get there, and this fails).
                Duration quiet = NodeDaemon.STATUS_INTERVAL.plus(PERIOD.multipliedBy(2));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> master.sinceLastWrite().compareTo(quiet) > 0);

                master.reset();
                long sweeps = daemon.iterations();
                // the idle time watched: nothing but polls and metrics all along (a write is never
                // taken back, so one report fails the wait at its end, with the report in its message)
                await().during(WATCHED).atMost(WATCHED.plusSeconds(5)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            // metrics are a sample stream on their own timer (every 60 s by default, docs/clusters.md
                            // "Metrics"), not reports: one round at most in the 20 s watched
                            List<String> metrics = master.writes().stream()
                                    .filter(w -> w.startsWith("POST /api/v1/nodes/node-idle/metrics ")).toList();
                            List<String> reports = master.writes().stream().filter(w -> !metrics.contains(w)).toList();
                            assertThat(reports).as(() -> "reports, publishes, bangs sent while idle\n" + n.log()).isEmpty();
                            assertThat(metrics.size()).as("metric batches sent in 20 s: " + metrics).isLessThanOrEqualTo(1); // 200 samples: one batch
                        });
                // and the node was watched working, not stuck: ten sweeps over every partition in 20 s
                assertThat(daemon.iterations() - sweeps).as("the daemon swept every partition meanwhile").isGreaterThanOrEqualTo(8);
                assertThat(master.count("GET")).as("it polled meanwhile").isGreaterThan(0);
            } finally {
                daemon.stop();
                thread.join(60_000);
            }
        }
    }

    private static boolean converged(Instance i) {
        return i.reportedState() == InstanceState.STARTED && i.timestamp() == (i.reportedTimestamp() == null ? -1 : i.reportedTimestamp())
                && !i.connectionParameters().isEmpty();
    }
}
