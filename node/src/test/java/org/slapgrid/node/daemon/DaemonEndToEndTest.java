package org.slapgrid.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.node.software.ReleaseCopy;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.testing.Require;

/**
 * The daemon as a real process: it deploys a requested instance by itself; after a kill -9 its
 * services keep running under supervisord; a new daemon takes them over without restarting
 * them; SIGTERM stops it cleanly, leaving the services running.
 */
class DaemonEndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void deploysSurvivesKillNineAndIsTakenOverWithoutRestarts() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-daemon", "sgdmn", 2)) {
            String url = ReleaseCopy.of(Path.of("..").toAbsolutePath().normalize(), "hello", tmp.resolve("repo")).toString();
            n.supplyAndBuild(url);
            Path cfg = n.writeConfigFile();

            Process first = daemon(cfg, tmp.resolve("daemon1.log"));
            List<Process> started = new ArrayList<>(List.of(first));
            try {
                long requestedAt = System.nanoTime();
                n.admin().request(n.request("web", url, Map.of("greeting", "from the daemon")));
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Instance i = n.admin().info("web");
                    return i.reportedState() == InstanceState.STARTED && !i.connectionParameters().isEmpty();
                });
                System.out.println("daemon: request to connection parameters in "
                        + (System.nanoTime() - requestedAt) / 1_000_000 + " ms");
                String program = n.admin().info("web").partition() + "_http";
                int pid = n.supervisor().client().getProcessInfo(program).pid();

                first.destroyForcibly().waitFor();
                assertThat(n.supervisor().client().getProcessInfo(program).state()).isEqualTo(ProcessState.RUNNING);
                assertThat(n.supervisor().client().getProcessInfo(program).pid()).isEqualTo(pid);

                Path log2 = tmp.resolve("daemon2.log");
                Process second = daemon(cfg, log2);
                started.add(second);
                String partition = n.admin().info("web").partition();
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.isRegularFile(log2)
                        && Files.readString(log2).contains(partition + ": skipped"));
                assertThat(n.supervisor().client().getProcessInfo(program).pid()).as("taken over, not restarted").isEqualTo(pid);

                // `slapos node instance` hands its round to the running daemon through the control socket
                Path socket = ControlSocket.pathFor(n.config());
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
                        .isEqualTo("rw-------");
                var asked = ControlSocket.ask(socket, org.slapgrid.node.instance.InstanceConverger.Selection.all());
                assertThat(asked).isPresent();
                assertThat(asked.get()).singleElement().satisfies(o -> {
                    assertThat(o.partition()).isEqualTo(partition);
                    assertThat(o.kind()).isEqualTo(org.slapgrid.node.instance.PartitionOutcome.Kind.SKIPPED);
                });

                second.destroy(); // SIGTERM
                // a clean stop takes seconds; the JVM's wait for it gives up at 30 s (the stop then
                // hung on System.exit, which waits for the very hook that waited for the daemon)
                assertThat(second.waitFor(25, java.util.concurrent.TimeUnit.SECONDS)).as("stopped before the hook's 30 s").isTrue();
                assertThat(Files.readString(log2)).contains("daemon stopped; services left running under supervisord");
                assertThat(socket).as("the control socket goes with the daemon").doesNotExist();
                assertThat(ControlSocket.ask(socket, org.slapgrid.node.instance.InstanceConverger.Selection.all())).isEmpty();
                assertThat(n.supervisor().client().getProcessInfo(program).pid()).isEqualTo(pid);
            } finally {
                started.forEach(Process::destroyForcibly);
            }
        }
    }

    private static Process daemon(Path cfg, Path log) throws Exception {
        NodeRuntime rt = NodeRuntime.current();
        return new ProcessBuilder(rt.java().toString(), "-cp", rt.classpathString(), DaemonChild.class.getName(), cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
