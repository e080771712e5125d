package org.slapgrid.node.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.slap.model.ClusterMembership;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.MemberResources;
import org.slapgrid.testing.Require;

/**
 * Issue 14's vertical actions as the node applies them ({@link MemberResourcesStep}): a member
 * resized to 64 MiB whose service allocates 200 MiB is killed by the kernel and the bang says
 * so; a data disk is a loop-mounted ext4 image at srv/disk/NAME owned by the partition's user,
 * and detaching it unmounts and removes it. Real master, real users as root, real supervisord,
 * the kernel's cgroups and loop devices.
 */
class MemberResourcesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void needsRoot() {
        Require.root("resize and loop-mounted disks need root, cgroups and loop devices (CI runs as root)");
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
    }

    @Test
    void aMemberResizedTo64MiBWhoseServiceAllocates200MiBIsKilledByTheKernelAndTheBangSaysSo() throws Exception {
        try (NodeFixture n = NodeFixture.start(tmp, "node-rsz", "sgrsz", 1)) {
            assertThat(n.assembled().limits().cgroups().availability().available())
                    .as(n.assembled().limits().cgroups().availability().describe()).isTrue();
            String url = release(n);
            n.supplyAndBuild(url);
            n.admin().request(n.request("hog", url, Map.of("attack", "hog", "megabytes", "200")));
            Partition p = n.partitions().get(0);
            MemberResourcesStep step = step(n);

            step.apply(member(n, new MemberResources(64L << 20, 0.5, List.of())), p, who(n));
            assertThat(n.assembled().limits().cgroups().limits(p.id()).orElseThrow().memoryBytes()).isEqualTo(64L << 20);

            try (CrashWatcher watcher = n.assembled().watchCrashes()) {
                n.converge();
                String instanceId = n.admin().info("hog").id();
                await().atMost(Duration.ofSeconds(60)).until(() -> n.bangs(instanceId).stream()
                        .anyMatch(b -> b.contains("killed by the kernel: out of memory")));
                assertThat(n.bangs(instanceId)).anyMatch(b -> b.contains("64.0 MiB"));
                assertThat(p.directory().resolve("srv/allocated")).as("the service got its 200 MiB").doesNotExist();
            }
        }
    }

    @Test
    void aDataDiskIsALoopMountedImageOfThePartitionsUserAndDetachingRemovesIt() throws Exception {
        try (NodeFixture n = NodeFixture.start(tmp, "node-dsk", "sgdsk", 1)) {
            String url = release(n);
            n.supplyAndBuild(url);
            n.admin().request(n.request("disky", url, Map.of("attack", "serve", "port", "7311")));
            Partition p = n.partitions().get(0);
            n.assembled().limits().prepare(p.id()); // as the reconciler does first
            MemberResourcesStep step = step(n);
            step.apply(member(n, new MemberResources(null, null, List.of(new MemberResources.Disk("data", 64L << 20)))), p, who(n));

            Path disk = p.directory().resolve("srv/disk/data");
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).as("srv/disk/data is a mount point")
                    .anyMatch(l -> l.contains(" " + disk + " "));
            assertThat(Files.getOwner(disk).getName()).isEqualTo(p.user());
            assertThat(step.entries(p.id())).singleElement().satisfies(e ->
                    assertThat(e.output()).contains("loop-mounted ext4 image of 64.0 MiB"));
            // applied again (a later round): nothing new, still mounted once
            step.apply(member(n, new MemberResources(null, null, List.of(new MemberResources.Disk("data", 64L << 20)))), p, who(n));
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(" " + disk + " ")))
                    .hasSize(1);

            step.apply(member(n, MemberResources.NONE), p, who(n));
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(" " + disk + " "));
            assertThat(disk).doesNotExist();
            assertThat(n.config().stateDirectory().resolve("partitions/" + p.id() + "/disks/data.img")).doesNotExist();
            assertThat(n.assembled().limits().limitsOf(p.id())).isEqualTo(n.config().limits().partition());
        }
    }

    private String release(NodeFixture n) throws Exception {
        Path to = Files.createDirectories(tmp.resolve("release"));
        for (String f : List.of("software.cfg", "instance.cfg.in")) {
            try (var in = getClass().getResourceAsStream("/hostile-release/" + f)) {
                Files.copy(in, to.resolve(f));
            }
        }
        return to.resolve("software.cfg").toString();
    }

    private static MemberResourcesStep step(NodeFixture n) {
        return new MemberResourcesStep(n.assembled().limits(), new DataDisks(n.config().stateDirectory(), new PartitionExecutor(),
                n.config().multiUser()), Clock.systemUTC(), n.logger());
    }

    private static java.util.function.Function<Partition, RunAs> who(NodeFixture n) {
        return p -> new RunAs(p.user(), p.directory()).entering(n.assembled().limits().enterCommand(p.id()));
    }

    /** The partition's instance as a cluster member with {@code resources}, as the master's document would say. */
    private static Instance member(NodeFixture n, MemberResources resources) {
        Instance i = n.node().nodeInfo(n.nodeId()).partitions().get(0).instance();
        return i.withCluster(new ClusterMembership("c", ClusterTopology.FLEX, "db", 0, null, List.of(), resources));
    }
}
