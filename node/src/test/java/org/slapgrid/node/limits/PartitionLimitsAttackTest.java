package org.slapgrid.node.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.status.NodeStatus;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.testing.Require;

/**
 * Issue 10 findings 7 and 8, as the attacks: a hostile release ({@code hostile-release/} in the
 * test resources) whose service forks 4,000 processes, allocates far more memory than the
 * partition's limit, fills the disk past the quota, or binds another partition's address to
 * answer its clients. Real master, real users as root, real supervisord, the kernel's cgroups
 * and nftables. Without the limits (today's node before this change) each attack gets through.
 */
class PartitionLimitsAttackTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needsRootAndSupervisord() {
        Require.root("the attacks need real users, cgroups and nftables (CI runs as root)");
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
    }

    @Test
    void aServiceForking4000ProcessesGetsNoMoreThanThePartitionsProcessLimit() throws Exception {
        int limit = 200;
        try (NodeFixture n = NodeFixture.start(tmp, "node-fork", "sgfork", 1,
                c -> c.withLimits(c.limits().withPartition(c.limits().partition().withMaxProcesses(limit))))) {
            assertEnforced(n);
            String url = release();
            n.supplyAndBuild(url);
            n.admin().request(n.request("forker", url, Map.of("attack", "fork", "processes", "4000")));
            assertThat(n.converge()).extracting(PartitionOutcome::kind).as(n.log()).containsExactly(PartitionOutcome.Kind.CONVERGED);
            Partition p = n.partition(n.admin().info("forker").partition());

            Path forked = p.directory().resolve("srv/forked");
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(forked));
            int children = Integer.parseInt(Files.readString(forked).strip());
            assertThat(children).as("children the service could fork (of 4000 tried)").isLessThan(limit);
            assertThat(processesOf(p)).as("processes of the partition's user").isLessThanOrEqualTo(limit);

            NodeStatus.PartitionStatus status = status(n, p.id());
            assertThat(status.limits().maxProcesses()).isEqualTo(limit);
            assertThat(status.usage().refusedForks()).as("forks the kernel refused").isPositive();

            // destruction kills every process of the partition and removes its cgroup
            n.admin().remove("forker");
            assertThat(n.converge()).extracting(PartitionOutcome::kind).containsExactly(PartitionOutcome.Kind.DESTROYED);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(processesOf(p)).as("processes left after destruction").isZero());
            assertThat(n.assembled().limits().cgroups().usage(p.id())).as("the partition's cgroup is gone").isEmpty();
        }
    }

    @Test
    void aServiceAllocatingFarMoreThanItsMemoryLimitIsKilledByTheKernel() throws Exception {
        long limit = 384L << 20;
        try (NodeFixture n = NodeFixture.start(tmp, "node-hog", "sghog", 1,
                c -> c.withLimits(c.limits().withPartition(c.limits().partition().withMemory(limit).withCpus(0.5))))) {
            assertEnforced(n);
            String url = release();
            n.supplyAndBuild(url);
            n.admin().request(n.request("hog", url, Map.of("attack", "hog", "megabytes", "2048")));
            assertThat(n.converge()).extracting(PartitionOutcome::kind).as(n.log()).containsExactly(PartitionOutcome.Kind.CONVERGED);
            Partition p = n.partition(n.admin().info("hog").partition());
            Path allocated = p.directory().resolve("srv/allocated");
            String program = p.id() + "_attack";

            // it either got its 2 GiB (and says so) or it was killed: wait for one of the two
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(allocated)
                    || n.supervisor().client().getProcessInfo(program).state().isEnded());
            assertThat(allocated).as("the service got 2 GiB with a limit of 384 MiB").doesNotExist();
            assertThat(n.supervisor().client().getProcessInfo(program).state()).isIn(ProcessState.EXITED, ProcessState.FATAL);
            NodeStatus.PartitionStatus status = status(n, p.id());
            assertThat(status.limits().memoryBytes()).isEqualTo(limit);
            assertThat(status.limits().cpus()).isEqualTo(0.5);
            assertThat(status.usage().oomKills()).as("processes the kernel killed for memory").isPositive();

            // a resize (issue 14) changes the limits at once and they stay for the next rounds
            n.assembled().limits().resize(p.id(), new PartitionLimits(512L << 20, 300, 1.5));
            n.converge();
            assertThat(n.assembled().limits().cgroups().limits(p.id())).contains(new PartitionLimits(512L << 20, 300, 1.5));
        }
    }

    @Test
    void aPartitionWritingPastItsDiskQuotaIsReportedInErrorNamingTheQuota() throws Exception {
        try (NodeFixture n = NodeFixture.start(tmp, "node-fill", "sgfill", 1,
                c -> c.withLimits(c.limits().withDiskQuota(16L << 20)))) {
            String url = release();
            n.supplyAndBuild(url);
            n.admin().request(n.request("filler", url, Map.of("attack", "fill", "megabytes", "48")));
            n.converge();
            Partition p = n.partition(n.admin().info("filler").partition());
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(p.directory().resolve("srv/filled")));

            // the next convergence measures again (a skipped round re-measures every 5 minutes)
            List<PartitionOutcome> out = n.converger().converge(n.node().nodeInfo(n.nodeId()), n.partitions(),
                    new InstanceConverger.Selection(true, null));
            assertThat(out).extracting(PartitionOutcome::kind).containsExactly(PartitionOutcome.Kind.PROMISE_BROKEN);
            Instance filler = n.admin().info("filler");
            assertThat(filler.reportedState()).isEqualTo(InstanceState.ERROR);
            assertThat(filler.errorLog()).contains("partition_disk_quota").contains("16.0 MiB").contains(p.id());

            NodeStatus.PartitionStatus status = status(n, p.id());
            assertThat(status.disk().exceeded()).isTrue();
            assertThat(status.disk().bytes()).isGreaterThan(48L << 20);
            assertThat(status.overall()).isEqualTo("warn");
        }
    }

    @Test
    void aPartitionBindingAnotherPartitionsAddressReachesNoClient() throws Exception {
        try (NodeFixture n = NodeFixture.start(tmp, "node-squat", "sgsquat", 2)) {
            assertThat(n.assembled().addresses().unavailableReason()).as("nftables must be usable (CI installs it)").isNull();
            String url = release();
            n.supplyAndBuild(url);
            n.admin().request(n.request("owner", url, Map.of("attack", "serve", "port", "7000")));
            n.converge();
            Partition owner = n.partition(n.admin().info("owner").partition());
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(owner.directory().resolve("srv/listening")));
            assertThat(answer(owner.ipv4(), 7000)).as("the owner's own server is reachable").isEqualTo("owner");

            // the owner's server restarts: in that window another partition binds its address and port
            String program = owner.id() + "_attack";
            n.supervisor().client().stopProcess(program + ":" + program, true);
            n.admin().request(n.request("squatter", url, Map.of("attack", "squat", "target", owner.ipv4(), "port", "7000")));
            n.converge();
            Partition squatter = n.partition(n.admin().info("squatter").partition());
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(squatter.directory().resolve("srv/bound")));

            assertThat(answer(owner.ipv4(), 7000)).as("what a client of the owner's address got from the squatter")
                    .doesNotContain("squatter");
            assertThat(n.assembled().addresses().droppedPackets()).as("packets dropped by the node's table").isPositive();
        }
    }

    /** What a real TCP client reads from the address, or "" when it cannot connect or read. */
    private static String answer(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
            s.setSoTimeout(3000);
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(64), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void assertEnforced(NodeFixture n) {
        assertThat(n.assembled().limits().cgroups().availability().available())
                .as("cgroups must be writable here (root, CI): " + n.assembled().limits().cgroups().availability().describe())
                .isTrue();
    }

    private static NodeStatus.PartitionStatus status(NodeFixture n, String partition) throws IOException {
        return NodeStatus.collect(n.config(), n.supervisor()).partitions().stream()
                .filter(s -> s.id().equals(partition)).findFirst().orElseThrow();
    }

    /** Live processes (zombies are dead: their new parent reaps them) whose real uid is the partition's user. */
    private static long processesOf(Partition p) throws IOException {
        int uid = (Integer) Files.getAttribute(p.directory(), "unix:uid");
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(d -> d.getFileName().toString().matches("\\d+")).filter(d -> {
                try {
                    List<String> status = Files.readAllLines(d.resolve("status"));
                    return status.stream().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals(Integer.toString(uid)))
                            && status.stream().noneMatch(l -> l.startsWith("State:") && l.contains("Z (zombie)"));
                } catch (IOException e) {
                    return false; // it exited meanwhile
                }
            }).count();
        }
    }

    private Path copy(String resourceDir, Path to, String... files) throws IOException {
        Files.createDirectories(to);
        for (String f : files) {
            try (InputStream in = getClass().getResourceAsStream("/" + resourceDir + "/" + f)) {
                Files.copy(in, to.resolve(f));
            }
        }
        return to;
    }

    private String release() throws IOException {
        return copy("hostile-release", tmp.resolve("release"), "software.cfg", "instance.cfg.in").resolve("software.cfg").toString();
    }
}
