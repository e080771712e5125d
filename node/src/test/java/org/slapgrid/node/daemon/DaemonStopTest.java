package org.slapgrid.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.testing.Require;

/**
 * A daemon's stop lets the reconcile in progress finish and returns only once every worker it
 * started has ended: nothing of a stopped daemon is left to touch supervisord (a reconcile still
 * running after the stop had revived supervisord after a test's shutdown of it, outliving the
 * test). The partition's promise takes 3 s and says, by a file, when it runs; the daemon is
 * stopped while it runs.
 */
class DaemonStopTest {

    /** The names of a daemon's worker threads (PartitionQueue, SoftwareWorkers, CrashWatcher, timers, control socket). */
    private static final String WORKERS = "(reconcile|software|daemon-|supervisor-crash|control-socket).*";

    @TempDir
    Path tmp;

    @Test
    void aStoppedDaemonLetsTheRunningReconcileFinishAndLeavesNoWorkerBehind() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-stop", "sgstop", 1)) {
            String url = NodeFixture.writeRelease(tmp.resolve("rel"), "[buildout]\nparts = instance-profile\n", PROFILE);
            n.supplyAndBuild(url);
            String partition = n.admin().request(n.request("s", url, Map.of())).partition();
            Path running = n.partition(partition).directory().resolve("promise-running");
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            // every partition looked at again each second: the promise runs nearly all the time
            NodeDaemon daemon = new NodeDaemon(n.assemble(Duration.ofSeconds(30)), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), n.logger());
            Thread thread = new Thread(daemon::run, "daemon-stop-test");
            thread.start();
            try (NodeFixture.RunningDaemon d = new NodeFixture.RunningDaemon(daemon, thread)) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() ->
                        assertThat(n.admin().info("s").reportedState()).as(n.log()).isEqualTo(InstanceState.STARTED));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(running));
                int logged = n.log().split("\n").length;
                d.close();

                assertThat(running).as("the promise in progress ran to its end (not killed by the stop)\n" + n.log()).doesNotExist();
                List<String> after = List.of(n.log().split("\n")).subList(logged, n.log().split("\n").length);
                assertThat(after).as("the stop is the daemon's last word, and interrupted nothing").last()
                        .asString().contains("daemon stopped");
                assertThat(after).noneMatch(line -> line.contains("interrupted"));
                Set<String> left = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> !before.contains(t) && t.isAlive() && t.getName().matches(WORKERS))
                        .map(Thread::getName).collect(Collectors.toSet());
                assertThat(left).as("the daemon's threads once its run returned").isEmpty();
            }
        }
    }

    /** A service, and a promise that takes 3 s and marks, in the partition, while it runs. */
    private static final String PROFILE = """
            [buildout]
            parts = directory service promise

            [directory]
            recipe = slapos.cookbook:mkdirectory
            service = ${buildout:directory}/etc/service
            promise = ${buildout:directory}/etc/promise

            [service]
            recipe = slapos.cookbook:wrapper
            command-line = sleep 10007
            wrapper-path = ${directory:service}/idle

            [promise]
            recipe = slapos.cookbook:wrapper
            command-line = sh -c 'touch ${buildout:directory}/promise-running; sleep 3; rm ${buildout:directory}/promise-running'
            wrapper-path = ${directory:promise}/slow
            """;
}
