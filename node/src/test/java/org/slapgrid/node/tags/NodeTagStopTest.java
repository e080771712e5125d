package org.slapgrid.node.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.LocalTagRules;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.status.NodeStatus;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.testing.Require;

/**
 * Issue 15: {@code slapos node stop PARTITION --tags EXPR} is this node's desired state, not a
 * stop until the next convergence. The rule kept in the partition's state (what the command
 * writes, {@link LocalTagRules}) makes a convergence stop the selected services, a forced one
 * (every buildout run again) keeps them stopped, {@code slapos node status} shows them stopped on
 * purpose by this node without the partition being down, and a start by the same tags brings
 * them back at the next convergence.
 */
public class NodeTagStopTest {

    @TempDir
    Path tmp;

    @Test
    void aNodeStopByTagLastsAcrossConvergencesUntilStarted() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (NodeFixture n = NodeFixture.start(Files.createDirectories(tmp.resolve("n")), "node-ltag", "sgltag", 1)) {
            String url = NodeFixture.writeRelease(tmp.resolve("pods"), "[buildout]\nparts = instance-profile\n",
                    "[buildout]\nparts = directory pod01-sm pod01-db monitor\n\n[directory]\nrecipe = slapos.cookbook:mkdirectory\n"
                            + "service = ${buildout:directory}/etc/service\n"
                            + service("pod01-sm", "sm pod01") + service("pod01-db", "db pod01") + service("monitor", null));
            n.supplyAndBuild(url);
            n.admin().request(n.request("pods", url, Map.of()));
            n.convergeUntilSettled(Duration.ofSeconds(90));
            String p = n.partitions().get(0).id();
            assertThat(running(n, p)).containsExactly("monitor", "pod01-db", "pod01-sm");

            // what `slapos node stop slappart0 --tags sm` keeps; the next convergence (nothing else changed) stops it
            LocalTagRules.add(n.config().stateDirectory(), p, "sm", true);
            assertThat(n.converge()).extracting(PartitionOutcome::kind).containsOnly(PartitionOutcome.Kind.SKIPPED);
            assertThat(running(n, p)).as(n.log()).containsExactly("monitor", "pod01-db");

            // a forced convergence (the buildout runs again) keeps it stopped
            assertThat(n.converger().converge(n.node().nodeInfo(n.nodeId()), n.partitions(), new InstanceConverger.Selection(true, null)))
                    .as(n.log()).extracting(PartitionOutcome::kind).containsOnly(PartitionOutcome.Kind.CONVERGED);
            assertThat(running(n, p)).containsExactly("monitor", "pod01-db");

            // slapos node status: stopped on purpose, by this node; the partition is up, not down
            NodeStatus.PartitionStatus status = NodeStatus.collect(n.config(), n.supervisor()).partitions().get(0);
            assertThat(status.services()).filteredOn(NodeStatus.Service::stoppedOnPurpose).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("pod01-sm");
                assertThat(s.heldBy()).isEqualTo("by this node");
            });
            assertThat(status.overall()).isEqualTo("up");

            // `slapos node start slappart0 --tags sm`: no rule is left, and the next convergence starts it
            assertThat(LocalTagRules.add(n.config().stateDirectory(), p, "sm", false)).isEmpty();
            assertThat(LocalTagRules.fileOf(n.config().stateDirectory(), p)).doesNotExist();
            n.converge();
            assertThat(running(n, p)).containsExactly("monitor", "pod01-db", "pod01-sm");

            // a partition hosting nothing keeps no rule
            assertThatThrownBy(() -> LocalTagRules.add(n.config().stateDirectory(), "slappart7", "sm", true))
                    .hasMessageContaining("partition slappart7 hosts no instance on this node");
        }
    }

    private static String service(String name, String tags) {
        return "\n[" + name + "]\nrecipe = slapos.cookbook:wrapper\ncommand-line = sleep 3600\nwrapper-path = ${directory:service}/"
                + name + "\n" + (tags == null ? "" : "tags = " + tags + "\n");
    }

    /** The scripts of the partition's programs that run. */
    public static Set<String> running(NodeFixture n, String partition) {
        Set<String> out = new TreeSet<>();
        n.supervisor().managedPrograms().values().stream().filter(m -> m.spec().partitionId().equals(partition))
                .filter(m -> n.supervisor().client().getProcessInfo(m.spec().name()).state() == ProcessState.RUNNING)
                .forEach(m -> out.add(m.spec().scriptName()));
        return out;
    }
}
