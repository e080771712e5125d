package org.slapgrid.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.node.exec.ProcessTable;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;

/**
 * {@code kill -9} of the daemon while 20 partitions are being reconciled (issue 12, done when
 * 2; issue 10, finding 9): the buildouts it left running are recorded, and killed by the next
 * daemon before it starts anything (never two buildouts in one partition); the next daemon
 * converges every partition, and no service that did not change is restarted.
 */
class DaemonKillNineTest {

    private static final int PARTITIONS = 20;

    @TempDir
    Path tmp;

    @Test
    void theNextDaemonKillsTheLeftoversConvergesAllAndRestartsNothingUnchanged() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || "true".equals(System.getenv("CI")),
                "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-k9", "sgk9", PARTITIONS)) {
            // v=0: quick; the first run at another v sleeps 30 s (so the kill finds it running), the next ones do not
            String url = NodeFixture.writeRelease(tmp.resolve("release"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = directory slow service publish\n\n[slap-configuration]\n"
                            + "recipe = slapos.cookbook:slapconfiguration\nconfiguration.v = 0\n\n"
                            + "[directory]\nrecipe = slapos.cookbook:mkdirectory\nservice = ${buildout:directory}/etc/service\n\n"
                            + "[slow]\nrecipe = plone.recipe.command\nv = ${slap-configuration:configuration.v}\n"
                            + "command = test \"${:v}\" = 0 || test -e ${buildout:directory}/.slow-done"
                            + " || { touch ${buildout:directory}/.slow-done; sleep 30; }\nstop-on-error = true\n\n"
                            + "[service]\nrecipe = slapos.cookbook:wrapper\n"
                            + "command-line = sleep 10000${slap-configuration:configuration.v}\n"
                            + "wrapper-path = ${directory:service}/idle\n\n"
                            + "[publish]\nrecipe = slapos.cookbook:publish\nv = ${slap-configuration:configuration.v}\n");
            n.supplyAndBuild(url);
            for (int i = 0; i < PARTITIONS; i++) {
                n.admin().request(n.request("i" + i, url, Map.of("v", "0")));
            }
            Path cfg = n.writeConfigFile();
            List<Process> daemons = new ArrayList<>();
            try {
                Process first = daemon(cfg, tmp.resolve("daemon1.log"));
                daemons.add(first);
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> allAt(n, "0"));
                Map<String, Integer> before = servicePids(n);
                assertThat(before).hasSize(PARTITIONS);

                for (int i = 0; i < PARTITIONS / 2; i++) {
                    n.admin().request(n.request("i" + i, url, Map.of("v", "1")));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> sleeping(30).size() >= 2);
                first.destroyForcibly().waitFor(); // SIGKILL
                List<Long> leftovers = sleeping(30);
                Path records = n.config().stateDirectory().resolve("children");
                assertThat(leftovers).as("the killed daemon's buildouts go on alone").isNotEmpty();
                try (var s = Files.list(records)) {
                    assertThat(s.filter(p -> p.toString().endsWith(".child")).count()).as("and are recorded").isGreaterThanOrEqualTo(2);
                }

                Path log2 = tmp.resolve("daemon2.log");
                daemons.add(daemon(cfg, log2));
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(log2)
                        && Files.readString(log2).contains("daemon started"));
                assertThat(Files.readString(log2)).contains("killed what a previous node left running");
                // killed before the new daemon started anything (a zombie not yet reaped is not alive)
                assertThat(leftovers).as("killed before the new daemon started anything").noneMatch(ProcessTable::isAlive);

                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (int i = 0; i < PARTITIONS; i++) {
                        Instance in = n.admin().info("i" + i);
                        assertThat(in.connectionParameters().get("v")).as("i" + i + "\n" + Files.readString(log2))
                                .isEqualTo(i < PARTITIONS / 2 ? "1" : "0");
                        assertThat(in.reportedState()).isEqualTo(InstanceState.STARTED);
                        assertThat(in.reportedTimestamp()).isEqualTo(in.timestamp());
                    }
                });
                Map<String, Integer> after = servicePids(n);
                for (int i = PARTITIONS / 2; i < PARTITIONS; i++) {
                    String program = n.admin().info("i" + i).partition() + "_idle";
                    assertThat(after.get(program)).as(program + " did not change: not restarted").isEqualTo(before.get(program));
                }
                for (int i = 0; i < PARTITIONS / 2; i++) {
                    String program = n.admin().info("i" + i).partition() + "_idle";
                    assertThat(after.get(program)).as(program + " changed: restarted").isNotEqualTo(before.get(program));
                }
                try (var s = Files.list(records)) {
                    assertThat(s.filter(p -> p.toString().endsWith(".child")).toList()).as("no record outlives its child").isEmpty();
                }

                // the status tree reaches the master: `slapos info` and the API show the service as the node sees it
                String program = n.admin().info("i" + (PARTITIONS - 1)).partition() + "_idle";
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(n.admin().status("i" + (PARTITIONS - 1)).services())
                        .anySatisfy(sv -> {
                            assertThat(sv.name()).isEqualTo(program);
                            assertThat(sv.state()).isEqualTo("RUNNING");
                            assertThat(sv.pid()).isEqualTo(after.get(program));
                            assertThat(sv.startedAt()).isNotNull();
                        }));
            } finally {
                daemons.forEach(Process::destroyForcibly);
            }
        }
    }

    private static boolean allAt(NodeFixture n, String v) {
        return IntStream.range(0, PARTITIONS).allMatch(i -> {
            Instance in = n.admin().info("i" + i);
            return v.equals(in.connectionParameters().get("v")) && in.reportedState() == InstanceState.STARTED;
        });
    }

    private static Map<String, Integer> servicePids(NodeFixture n) {
        Map<String, Integer> pids = new HashMap<>();
        for (ProcessInfo p : n.supervisor().client().getAllProcessInfo()) {
            if (p.name().endsWith("_idle")) {
                pids.put(p.name(), p.pid());
            }
        }
        return pids;
    }

    /** The `sleep SECONDS` processes running now. */
    private static List<Long> sleeping(int seconds) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith("sleep " + seconds))
                .map(ProcessHandle::pid).toList();
    }

    private static Process daemon(Path cfg, Path log) throws Exception {
        NodeRuntime rt = NodeRuntime.current();
        return new ProcessBuilder(rt.java().toString(), "-cp", rt.classpathString(), DaemonChild.class.getName(), cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
