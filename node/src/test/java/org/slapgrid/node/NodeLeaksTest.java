package org.slapgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.software.ReleaseCopy;
import org.slapgrid.node.supervisor.PartitionPrograms;
import org.slapgrid.slap.model.Instance;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Issue 10, finding 10, as the attack: a tenant's partition user, on a node running as root
 * with real users and a real supervisord, reads what the node keeps about the other tenants:
 * the supervisord configuration (every program's command, user and paths), supervisord's log,
 * format.json (every partition's user and address), the other partition's program logs. None
 * of it may be readable; its own logs stay readable. The logs of a removed service, and of a
 * destroyed instance, are gone rather than left for the partition's next tenant.
 */
class NodeLeaksTest {

    @TempDir
    Path tmp;

    @Test
    void aPartitionUserReadsNothingTheNodeKeepsAboutOthersAndRemovedProgramsLeaveNoLogs() throws Exception {
        assumeTrue(NodeFixture.ROOT, "the attack is a partition user's on a node running as root (CI runs as root)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-leaks", "sglk", 2)) {
            String url = ReleaseCopy.of(NodeEndToEndTest.REPOSITORY, "hello", tmp.resolve("repo")).toString();
            n.supplyAndBuild(url);
            n.admin().request(n.request("web-a", url, Map.of("greeting", "a")));
            n.admin().request(n.request("web-b", url, Map.of("greeting", "b")));
            n.convergeUntilSettled(Duration.ofSeconds(90));
            Instance a = n.admin().info("web-a");
            Partition pa = n.partition(a.partition());
            Partition pb = n.partition(n.admin().info("web-b").partition());
            Path srv = n.config().instanceRoot();
            Path logsOfA = srv.resolve("var/log").resolve(pa.id());
            List<Path> programLogsOfA = list(logsOfA);
            assertThat(programLogsOfA).as("the services of A have logs").isNotEmpty();

            List<Path> secrets = new ArrayList<>(List.of(srv.resolve("etc/supervisord.conf"),
                    srv.resolve("etc/supervisord.conf.d").resolve(pa.id() + ".conf"),
                    srv.resolve("var/log/supervisord/supervisord.log"), srv.resolve("var/format.json")));
            secrets.addAll(programLogsOfA);
            for (Path secret : secrets) {
                assertThat(secret).exists();
                assertThat(runAs(pb.user(), "cat", secret.toString())).as("%s reads %s", pb.user(), secret).isNotZero();
            }
            assertThat(runAs(pb.user(), "ls", srv.resolve("etc/supervisord.conf.d").toString())).isNotZero();
            assertThat(runAs(pb.user(), "ls", srv.resolve("var/log").toString())).isNotZero();
            // what the node keeps for B is still B's to read
            Path logOfB = list(srv.resolve("var/log").resolve(pb.id())).get(0);
            assertThat(runAs(pb.user(), "cat", logOfB.toString())).as("%s reads its own %s", pb.user(), logOfB).isZero();

            // a service A no longer has: its log goes with it
            Path service;
            try (Stream<Path> s = Files.list(pa.directory().resolve("etc/service"))) {
                service = s.findFirst().orElseThrow();
            }
            Files.delete(service);
            var update = n.supervisor().update(PartitionPrograms.scan(pa.id(), pa.directory(), pa.user(),
                    PartitionPrograms.DesiredState.STARTED));
            assertThat(update.removed()).hasSize(1);
            assertThat(list(logsOfA)).as("logs of A after its service %s went", service.getFileName())
                    .noneMatch(p -> p.getFileName().toString().startsWith(update.removed().get(0) + ".log"));

            // a destroyed instance leaves no logs for the partition's next tenant
            n.admin().remove("web-a");
            assertThat(n.converge()).filteredOn(o -> o.partition().equals(pa.id())).extracting(PartitionOutcome::kind)
                    .containsExactly(PartitionOutcome.Kind.DESTROYED);
            assertThat(logsOfA).doesNotExist();
        }
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static int runAs(String user, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        argv.addAll(List.of(command));
        return new ProcessExecutor().command(argv).readOutput(true).timeout(30, TimeUnit.SECONDS).execute().getExitValue();
    }
}
