package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;

/**
 * Issue 15's flex test, over HTTP against a real master: three nodes speaking the node protocol
 * (each polls its document, as a daemon does, and reports its member started). A 3-member flex
 * cluster with flex_min=3 is up, turns warn when a member is stopped; when the primary's node
 * goes silent (killed) for the cluster's primaryLostAfter, the next member takes the primary
 * role within one look of the master, every member's node is woken with the new primary in its
 * document, and the hand-off is recorded. A switch moves the role back by hand.
 */
class FlexClusterTest {
    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient alice;
    final Map<String, SlapClient> nodes = new ConcurrentHashMap<>();
    final Set<String> alive = ConcurrentHashMap.newKeySet();
    final ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-daemons");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200)).withContactInterval(Duration.ofMillis(200)));
        SlapClient admin = m.admin();
        for (String n : List.of("spd01", "spd02", "spd03")) {
            nodes.put(n, m.client(admin.registerNode(n, List.of("slappart0")).secret()));
            admin.shareNode(n, "alice");
            alive.add(n);
        }
        alice = m.client(admin.createUserToken("alice", false).token());
        // what a node's daemon does, every 100 ms (its poll period): its contact is recorded
        polling.scheduleWithFixedDelay(() -> {
            for (String n : alive) {
                try {
                    nodes.get(n).nodeInfo(n);
                } catch (RuntimeException e) {
                    // the master is closing
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        polling.shutdownNow();
        polling.awaitTermination(5, TimeUnit.SECONDS);
        if (m != null) {
            m.close();
        }
    }

    private void report(ClusterMember member, InstanceState state) {
        nodes.get(member.node()).reportInstance(member.node(), member.partition(), state, "");
    }

    private void awaitStatus(String status) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(alice.cluster("spdsvc01").status()).isEqualTo(status));
    }

    @Test
    void flexMinDegradesTheStatusAndALostPrimaryIsHandedOnRecorded() {
        ClusterInfo c = alice.createCluster(new ClusterRequest("spdsvc01", "https://example.org/sr/spd.cfg", ClusterTopology.FLEX,
                Map.of(), List.of(new ClusterRole("pod", "default", null, 3, 3, 3)), 3, 3, null, 2));
        assertThat(c.flexMin()).isEqualTo(3);
        assertThat(c.primary()).as("flex_primary defaults to the first member").isEqualTo("pod.0");
        assertThat(c.members()).extracting(ClusterMember::node).containsExactly("spd01", "spd02", "spd03");
        assertThat(c.status()).isEqualTo("down");
        c.members().forEach(x -> report(x, InstanceState.STARTED));
        // up needs each member's node heard from within the cluster's 2 s: its report is contact,
        // its polls keep it fresh (a loaded machine may hold a poll back: wait, don't assume)
        awaitStatus("up");
        // the primary is in every member's document (slap-configuration's cluster-primary)
        for (ClusterMember x : c.members()) {
            assertThat(ClusterApiTest.instanceOf(nodes.get(x.node()).nodeInfo(x.node()), "spdsvc01/" + x.name()).cluster().primary())
                    .isEqualTo("pod.0");
        }

        // a member stopped: 2 up, under flex_min=3
        report(c.members().get(2), InstanceState.STOPPED);
        assertThat(alice.cluster("spdsvc01").status()).isEqualTo("warn");
        report(c.members().get(2), InstanceState.STARTED);
        awaitStatus("up");

        // the primary's node is killed: it polls no more
        long before = nodes.get("spd02").nodeInfo("spd02").version();
        alive.remove("spd01");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> "pod.1".equals(alice.cluster("spdsvc01").primary()));
        assertThat(nodes.get("spd02").nodeInfo("spd02").version()).as("its node is woken").isGreaterThan(before);
        for (String n : List.of("spd02", "spd03")) {
            var doc = nodes.get(n).nodeInfo(n);
            assertThat(doc.partitions().get(0).instance().cluster().primary()).as(n + "'s document").isEqualTo("pod.1");
        }
        ClusterInfo after = alice.cluster("spdsvc01");
        assertThat(after.status()).as("2 members up, under flex_min").isEqualTo("warn");
        assertThat(alice.clusterEvents("spdsvc01")).filteredOn(e -> e.kind().equals("primary-handoff")).singleElement()
                .satisfies(e -> {
                    assertThat(e.message()).contains("primary pod.0 handed to pod.1").contains("node spd01 not heard from for 2 s");
                    assertThat(e.details()).containsEntry("from", "pod.0").containsEntry("to", "pod.1").containsEntry("lostNode", "spd01");
                });

        // the node is back; a switch moves the role by hand (refused to a member that is not up)
        alive.add("spd01");
        await().atMost(Duration.ofSeconds(10)).until(() -> "up".equals(alice.cluster("spdsvc01").status()));
        assertThat(alice.switchCluster("spdsvc01", "pod.0").primary()).isEqualTo("pod.0");
        assertThat(alice.clusterEvents("spdsvc01")).filteredOn(e -> e.kind().equals("switch"))
                .anySatisfy(e -> assertThat(e.message()).contains("primary switched from pod.1 to pod.0"));
        report(c.members().get(2), InstanceState.STOPPED);
        assertThatThrownBy(() -> alice.switchCluster("spdsvc01", "pod.2"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(422))
                .hasMessageContaining("is not up");
    }

    @Test
    void flexSettingsAreChecked() {
        var roles = List.of(new ClusterRole("pod", "default", null, 3, 1, 5));
        assertThatThrownBy(() -> alice.createCluster(new ClusterRequest("a", "https://example.org/sr/spd.cfg", ClusterTopology.FLEX,
                Map.of(), roles, 1, 2, null, null))).hasMessageContaining("(flex_max)");
        assertThatThrownBy(() -> alice.createCluster(new ClusterRequest("a", "https://example.org/sr/spd.cfg", ClusterTopology.FLEX,
                Map.of(), roles, null, null, "pod.7", null))).hasMessageContaining("(flex_primary)");
        assertThatThrownBy(() -> alice.createCluster(new ClusterRequest("a", "https://example.org/sr/spd.cfg", ClusterTopology.FAILOVER,
                Map.of(), roles, 2, null, null, null))).hasMessageContaining("(topology)");
        ClusterInfo c = alice.createCluster(new ClusterRequest("b", "https://example.org/sr/spd.cfg", ClusterTopology.FLEX,
                Map.of(), List.of(new ClusterRole("pod", "default", null, 2, 1, 5)), 1, 3, "pod.1", null));
        assertThat(c.primary()).isEqualTo("pod.1");
        assertThatThrownBy(() -> alice.growCluster("b", "pod", 2)).hasMessageContaining("over its flexMax of 3 (flex_max)");
    }

}
