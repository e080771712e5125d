package org.slapgrid.node.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.status.NodeStatus;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.testing.Require;

/**
 * Issue 15's topologies with real nodes: a master, two nodes each with its daemon and its
 * supervisord, one release whose members run a service {@code web}, a service {@code replica}
 * tagged {@code standby}, and a run-once {@code migrate} that migrates only where
 * {@code ${slap-configuration:cluster-primary}} names the member itself.
 * <ul>
 * <li>failover: the standby's {@code web} and run-once are held stopped on purpose (its {@code replica} runs),
 * the active member runs both; {@code slapos cluster switch} stops the old active's {@code web}
 * and starts the new one's;</li>
 * <li>flex: 3 members with flex_min=3 are up, warn with a member stopped; the migration ran on the
 * primary only; the primary's node stopped (its daemon: the master hears from it no more), the
 * next member on the other node is primary within one convergence, recorded in the events, and
 * its profile runs the migration.</li>
 * </ul>
 */
class TopologiesTest {

    @TempDir
    Path tmp;

    @Test
    void failoverStandbysHoldTheirServicesAndAFlexPrimaryIsHandedOnWhenItsNodeIsLost() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x")); // the release, read by its build user
        try (NodeFixture a = NodeFixture.start(Files.createDirectories(tmp.resolve("a")), "node-topa", "sgtopa", 4, c -> c,
                m -> m.withContactInterval(Duration.ofMillis(300)));
             NodeFixture b = NodeFixture.join(Files.createDirectories(tmp.resolve("b")), a, "node-topb", "sgtopb", 3)) {
            String url = NodeFixture.writeRelease(tmp.resolve("rel"), "[buildout]\nparts = instance-profile\n", PROFILE);
            // long-polls of 1 s: each node's contact is recorded at least every second
            try (var da = a.runDaemon(Duration.ofSeconds(1)); var db = b.runDaemon(Duration.ofSeconds(1))) {
                failover(a, b, url);
                flex(a, b, url, da);
            }
        }
    }

    private static void failover(NodeFixture a, NodeFixture b, String url) throws Exception {
        a.admin().createCluster(new ClusterRequest("fo", url, ClusterTopology.FAILOVER, Map.of(),
                List.of(new ClusterRole("db", "default", null, 2, 2, 2))));
        Members m = Members.of(a.admin().cluster("fo").members(), List.of(a, b));
        assertThat(m.byName().values()).extracting(x -> x.node().nodeId()).containsExactlyInAnyOrder("node-topa", "node-topb");
        m.awaitRunning(java.util.Set.of("db.0:web", "db.0:replica", "db.1:replica"), 120);
        assertThat(m.state("db.1", "web")).as("held, not crashed").isEqualTo(ProcessState.STOPPED);
        awaitStarted(a, "fo", 2);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(a.admin().status("fo/db.1").services()).filteredOn(PartitionStatus.Service::stoppedOnPurpose)
                        .extracting(sv -> sv.name().substring(sv.name().indexOf('_') + 1))
                        .as("its untagged service and run-once held").containsExactlyInAnyOrder("web", "migrate-db.0"));
        // the daemon's report says why (slapos info shows it): a failover standby of cluster fo
        assertThat(a.admin().status("fo/db.1").services()).filteredOn(PartitionStatus.Service::stoppedOnPurpose)
                .extracting(PartitionStatus.Service::hold).containsOnly(new PartitionStatus.Hold(PartitionStatus.Hold.STANDBY, "fo"));
        // slapos node status on the standby's node: stopped on purpose, as a standby; the partition up
        Members.Member standby = m.get("db.1");
        NodeStatus.PartitionStatus local = NodeStatus.collect(standby.node().config(), standby.node().supervisor()).partitions()
                .stream().filter(p -> p.id().equals(standby.partition())).findFirst().orElseThrow();
        assertThat(local.services()).filteredOn(NodeStatus.Service::stoppedOnPurpose).hasSize(2)
                .allSatisfy(s -> assertThat(s.heldBy()).isEqualTo("standby"));
        assertThat(local.overall()).isEqualTo("up");

        // the switch: the old active's web stops, the new one's starts
        assertThat(a.admin().switchCluster("fo", "db.1").primary()).isEqualTo("db.1");
        m.awaitRunning(java.util.Set.of("db.1:web", "db.1:replica", "db.0:replica"), 60);
        assertThat(a.admin().clusterEvents("fo")).anySatisfy(e -> assertThat(e.message()).contains("primary switched from db.0 to db.1"));
    }

    private static void flex(NodeFixture a, NodeFixture b, String url, AutoCloseable primaryDaemon) throws Exception {
        a.admin().createCluster(new ClusterRequest("spd", url, ClusterTopology.FLEX, Map.of(),
                List.of(new ClusterRole("pod", "default", null, 3, 3, 3)), 3, 3, null, 3));
        ClusterInfo c = awaitStarted(a, "spd", 3);
        Members m = Members.of(c.members(), List.of(a, b));
        assertThat(c.primary()).isEqualTo("pod.0");
        assertThat(m.get("pod.0").node()).as("the primary is on the first node (whose daemon the test stops)").isSameAs(a);
        await().atMost(Duration.ofSeconds(30)).until(() -> "up".equals(a.admin().cluster("spd").status()));
        awaitMigrations(m, Map.of("pod.0", "migrated by pod.0\n"));

        // a member stopped: 2 up, under flex_min=3
        ClusterMember third = c.members().get(2);
        a.admin().request(new InstanceRequest("spd/" + third.name(), url, "default", Map.of(), RequestedState.STOPPED, false, Map.of()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "warn".equals(a.admin().cluster("spd").status()));
        a.admin().request(new InstanceRequest("spd/" + third.name(), url, "default", Map.of(), RequestedState.STARTED, false, Map.of()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "up".equals(a.admin().cluster("spd").status()));

        // the primary's node is lost: its daemon stops (its services go on, nobody hears from it)
        String next = c.members().stream().filter(x -> !x.node().equals(a.nodeId())).findFirst().orElseThrow().name();
        primaryDaemon.close();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> next.equals(a.admin().cluster("spd").primary()));
        assertThat(a.admin().clusterEvents("spd")).filteredOn(e -> e.kind().equals("primary-handoff")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("from", "pod.0").containsEntry("to", next)
                        .containsEntry("lostNode", a.nodeId()));
        // within one convergence of the surviving node, the new primary's profile sees it and migrates
        awaitMigrations(m, Map.of("pod.0", "migrated by pod.0\n", next, "migrated by " + next + "\n"));
    }

    private static ClusterInfo awaitStarted(NodeFixture n, String cluster, int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(n.admin().cluster(cluster).members()).as(n.log()).hasSize(count)
                        .allSatisfy(x -> assertThat(x.reportedState()).isEqualTo(InstanceState.STARTED)));
        return n.admin().cluster(cluster);
    }

    /** Waits until exactly these members' srv/migrations say that (the others have none). */
    private static void awaitMigrations(Members m, Map<String, String> expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (Members.Member x : m.byName().values()) {
                Path f = x.node().partition(x.partition()).directory().resolve("srv/migrations");
                if (expected.containsKey(x.name())) {
                    assertThat(f).as(m.logs()).hasContent(expected.get(x.name()).strip());
                } else {
                    assertThat(f).as(x.name() + " is not the primary").doesNotExist();
                }
            }
        });
    }

    /**
     * A member: {@code web} (held on a failover standby), {@code replica} (tagged standby: up on
     * standbys too), and a run-once migration that acts on the primary only; its name carries
     * the primary, so that a new primary installs (and runs) it again.
     */
    static final String PROFILE = """
            [buildout]
            parts = directory web replica migrate

            [slap-configuration]
            recipe = slapos.cookbook:slapconfiguration

            [directory]
            recipe = slapos.cookbook:mkdirectory
            service = ${buildout:directory}/etc/service
            run = ${buildout:directory}/etc/run
            srv = ${buildout:directory}/srv

            [web]
            recipe = slapos.cookbook:wrapper
            command-line = sleep 3600
            wrapper-path = ${directory:service}/web

            [replica]
            recipe = slapos.cookbook:wrapper
            command-line = sleep 3600
            wrapper-path = ${directory:service}/replica
            tags = standby

            [migrate]
            recipe = slapos.cookbook:wrapper
            member = ${slap-configuration:cluster-role}.${slap-configuration:cluster-index}
            command-line = sh -c 'if [ "${slap-configuration:cluster-primary}" = "${:member}" ]; then echo "migrated by ${:member}" >> ${directory:srv}/migrations; fi'
            wrapper-path = ${directory:run}/migrate-${slap-configuration:cluster-primary}
            """;
}
