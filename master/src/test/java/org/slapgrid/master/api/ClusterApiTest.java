package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterMembership;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.RequestedState;

/**
 * Clusters over HTTP (issue 13): a real master on SQLite, a user driving it with the slap client,
 * and two fake nodes that speak the node protocol with their own secrets (they read their
 * documents, report states and publish connection parameters as a node daemon does).
 */
class ClusterApiTest {
    static final String SR = "https://example.org/sr/mariadb-cluster.cfg";

    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    SlapClient alice;
    SlapClient bob;
    SlapClient n1;
    SlapClient n2;

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(tmp);
        admin = m.admin();
        n1 = m.client(admin.registerNode("n1", List.of("slappart0", "slappart1")).secret());
        n2 = m.client(admin.registerNode("n2", List.of("slappart0", "slappart1")).secret());
        admin.shareNode("n1", "alice");
        admin.shareNode("n2", "alice");
        alice = m.client(admin.createUserToken("alice", false).token());
        bob = m.client(admin.createUserToken("bob", false).token());
    }

    @AfterEach
    void stop() {
        if (m != null) {
            m.close();
        }
    }

    ClusterInfo createDb(int count, int min, int max, ClusterTopology topology) {
        return alice.createCluster(new ClusterRequest("db", SR, topology, Map.of("shared", "yes"),
                List.of(new ClusterRole("db", "mariadb", Map.of("port", 3306), count, min, max))));
    }

    static Instance instanceOf(NodeInfo info, String name) {
        return info.partitions().stream().map(PartitionInfo::instance).filter(i -> i != null && i.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in the document of " + info.id()));
    }

    static ClusterMember member(ClusterInfo c, String name) {
        return c.members().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void membersAreSpreadPerRoleAndTheirReleaseIsSupplied() {
        ClusterInfo c = createDb(3, 2, 4, ClusterTopology.FAILOVER);
        assertThat(c.task()).isEqualTo(ClusterTask.NONE);
        assertThat(c.members()).extracting(ClusterMember::name, ClusterMember::node)
                .containsExactly(tuple("db.0", "n1"), tuple("db.1", "n2"),
                        tuple("db.2", "n1"));
        assertThat(c.notes()).containsExactly("db.2 shares node n1 with db.0 (role db): no other node has a free partition");
        assertThat(c.primary()).isEqualTo("db.0");
        // Alice never supplied: placing a member supplied the release to its node.
        assertThat(n1.nodeInfo("n1").software()).extracting(s -> s.url()).containsExactly(SR);
        assertThat(n2.nodeInfo("n2").software()).extracting(s -> s.url()).containsExactly(SR);
        Instance db1 = instanceOf(n2.nodeInfo("n2"), "db/db.1");
        assertThat(db1.owner()).isEqualTo("alice");
        assertThat(db1.softwareType()).isEqualTo("mariadb");
        assertThat(db1.parameters()).containsEntry("port", 3306).containsEntry("shared", "yes");
        assertThat(alice.clusters(false)).singleElement().satisfies(b -> {
            assertThat(b.members()).isNull();
            assertThat(b.roles()).singleElement().extracting(ClusterRole::count).isEqualTo(3);
        });
        assertThat(alice.clusters(true)).singleElement().satisfies(b -> assertThat(b.members()).hasSize(3));
    }

    @Test
    void eachMembersDocumentListsItsPeersAndAPublicationReachesThem() {
        createDb(3, 2, 4, ClusterTopology.FAILOVER);
        ClusterMembership m1 = instanceOf(n2.nodeInfo("n2"), "db/db.1").cluster();
        assertThat(m1.cluster()).isEqualTo("db");
        assertThat(m1.role()).isEqualTo("db");
        assertThat(m1.index()).isEqualTo(1);
        assertThat(m1.primary()).isEqualTo("db.0");
        assertThat(m1.members()).extracting(ClusterMember::name, ClusterMember::role, ClusterMember::node)
                .containsExactly(tuple("db.0", "db", "n1"),
                        tuple("db.1", "db", "n2"), tuple("db.2", "db", "n1"));
        NodeInfo before = n2.nodeInfo("n2");
        long tsBefore = instanceOf(before, "db/db.1").timestamp();
        String p0 = instanceOf(n1.nodeInfo("n1"), "db/db.0").partition();
        n1.publishConnection("n1", p0, Map.of("url", "mysql://10.0.0.1:3306"));
        NodeInfo after = n2.nodeInfo("n2");
        assertThat(after.version()).isGreaterThan(before.version()); // n2's long-poll wakes
        Instance db1 = instanceOf(after, "db/db.1");
        assertThat(db1.timestamp()).isGreaterThan(tsBefore); // and n2 re-converges db.1
        assertThat(db1.cluster().members().get(0).connectionParameters()).containsEntry("url", "mysql://10.0.0.1:3306");
    }

    @Test
    void membersCarryThePartitionAddressTheirNodeReportedAndAChangeReachesThePeers() {
        n1.reportFormat("n1", List.of("slappart0", "slappart1"), Map.of("slappart0", "127.61.0.1", "slappart1", "127.61.0.2"));
        n2.reportFormat("n2", List.of("slappart0", "slappart1"), Map.of("slappart0", "127.62.0.1", "slappart1", "127.62.0.2"));
        createDb(3, 2, 4, ClusterTopology.FAILOVER);
        ClusterInfo c = alice.cluster("db");
        for (ClusterMember x : c.members()) {
            assertThat(x.address()).as(x.name()).isEqualTo((x.node().equals("n1") ? "127.61.0." : "127.62.0.")
                    + (x.partition().equals("slappart0") ? "1" : "2"));
        }
        ClusterMember db0 = member(c, "db.0");
        long before = instanceOf(n2.nodeInfo("n2"), "db/db.1").timestamp();
        n1.reportFormat("n1", List.of("slappart0", "slappart1"), Map.of(db0.partition(), "127.63.0.9"));
        Instance db1 = instanceOf(n2.nodeInfo("n2"), "db/db.1");
        assertThat(db1.timestamp()).as("db.1 re-converges: its peer moved").isGreaterThan(before);
        assertThat(db1.cluster().members().get(0).address()).isEqualTo("127.63.0.9");
        assertThatThrownBy(() -> n1.reportFormat("n1", List.of("slappart0"), Map.of("slappart0", "10.0.0.300")))
                .hasMessageContaining("addresses.slappart0: expected an IPv4 address");
        assertThatThrownBy(() -> n1.reportFormat("n1", List.of("slappart0"), Map.of("slappart7", "10.0.0.3")))
                .hasMessageContaining("partition 'slappart7' is not among partitions");
    }

    @Test
    void growIsRefusedAboveMaxAndShrinkUnderMinOrOfThePrimary() {
        createDb(3, 2, 4, ClusterTopology.FAILOVER);
        long v2 = n2.nodeInfo("n2").version();
        ClusterInfo grown = alice.growCluster("db", "db", null);
        assertThat(grown.members()).extracting(ClusterMember::name, ClusterMember::node).last()
                .isEqualTo(tuple("db.3", "n2"));
        assertThat(instanceOf(n2.nodeInfo("n2"), "db/db.1").cluster().members()).hasSize(4);
        assertThat(n2.nodeInfo("n2").version()).isGreaterThan(v2);
        assertThatThrownBy(() -> alice.growCluster("db", "db", 1)).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).isEqualTo("grow would give role 'db' 5 members, over its maximum of 4 (max)");
        });
        assertThatThrownBy(() -> alice.growCluster("db", "web", 1)).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> alice.shrinkCluster("db", List.of("db.1", "db.2", "db.3")))
                .isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("shrink would leave role 'db' with 1 member, under its minimum of 2 (min)");
                });
        assertThatThrownBy(() -> alice.shrinkCluster("db", List.of("db.0"))).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).contains("'db.0' is the primary; promote another member first");
        });
        assertThatThrownBy(() -> alice.shrinkCluster("db", List.of("db.9"))).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        // A member is dropped only through the cluster.
        assertThatThrownBy(() -> alice.remove("db/db.3")).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("slapos cluster shrink");
        });
        ClusterInfo shrunk = alice.shrinkCluster("db", List.of("db/db.3", "db.2"));
        assertThat(shrunk.members()).extracting(ClusterMember::name).containsExactly("db.0", "db.1");
        assertThat(shrunk.task()).isEqualTo(ClusterTask.NONE);
        assertThat(instanceOf(n2.nodeInfo("n2"), "db/db.3").requestedState()).isEqualTo(RequestedState.DESTROYED);
        assertThat(instanceOf(n2.nodeInfo("n2"), "db/db.1").cluster().members()).extracting(ClusterMember::name)
                .containsExactly("db.0", "db.1");
        // The freed partition takes the next member; an index is never reused.
        n2.reportInstance("n2", instanceOf(n2.nodeInfo("n2"), "db/db.3").partition(), InstanceState.DESTROYED, null);
        assertThat(alice.growCluster("db", "db", 1).members()).extracting(ClusterMember::name).containsExactly("db.0", "db.1", "db.4");
    }

    @Test
    void aBusyClusterRefusesWith409() throws Exception {
        createDb(2, 1, 4, ClusterTopology.FLEX);
        m.master.database().transaction(c -> Sql.update(c, "UPDATE cluster SET task = 'BACKING_UP'"));
        for (Runnable op : List.<Runnable>of(() -> alice.growCluster("db", "db", 1), () -> alice.shrinkCluster("db", List.of("db.1")),
                () -> alice.destroyCluster("db"), () -> alice.promoteCluster("db", "db.1", true))) {
            assertThatThrownBy(op::run).isInstanceOfSatisfying(SlapException.class, e -> {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.getMessage()).isEqualTo("cluster 'db' is busy (task BACKING_UP); try again once its task is NONE");
            });
        }
    }

    @Test
    void aMasterRestartedMidOperationResumesOrEndsIt() throws Exception {
        createDb(2, 1, 4, ClusterTopology.FLEX);
        // As a master killed in the middle of a grow to 3 leaves it: task set, wish stored, member missing.
        m.master.database().transaction(c -> Sql.update(c, "UPDATE cluster SET task = 'GROWING'")
                + Sql.update(c, "UPDATE cluster_role SET wanted = 3"));
        m.close();
        m = new MasterFixture(tmp);
        ClusterInfo after = m.client(m.adminToken).cluster("db");
        assertThat(after.task()).isEqualTo(ClusterTask.NONE);
        assertThat(after.members()).extracting(ClusterMember::name).containsExactly("db.0", "db.1", "db.2");
        // A task that cannot be resumed is ended, and says so.
        m.master.database().transaction(c -> Sql.update(c, "UPDATE cluster SET task = 'RESTARTING'"));
        m.close();
        m = new MasterFixture(tmp);
        after = m.client(m.adminToken).cluster("db");
        assertThat(after.task()).isEqualTo(ClusterTask.NONE);
        assertThat(after.lastError()).isEqualTo("RESTARTING was interrupted by a master restart; run it again");
    }

    @Test
    void anotherUsersClusterIsMissingAndTheAdminSeesIt() {
        createDb(1, 1, 2, ClusterTopology.FLEX);
        for (Runnable op : List.<Runnable>of(() -> bob.cluster("db"), () -> bob.growCluster("db", "db", 1),
                () -> bob.destroyCluster("db"))) {
            assertThatThrownBy(op::run).isInstanceOfSatisfying(SlapException.class, e -> {
                assertThat(e.status()).isEqualTo(404);
                assertThat(e.getMessage()).isEqualTo("you have no cluster 'db'");
            });
        }
        assertThat(bob.clusters(false)).isEmpty();
        assertThat(admin.cluster("db").owner()).isEqualTo("alice");
        assertThat(admin.clusters(false)).hasSize(1);
        assertThatThrownBy(() -> n1.clusters(false)).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void aDeletedNodesMembersLeaveTheCluster() {
        createDb(2, 1, 4, ClusterTopology.FLEX);
        admin.deleteNode("n2");
        assertThat(alice.cluster("db").members()).extracting(ClusterMember::name, ClusterMember::node)
                .containsExactly(tuple("db.0", "n1"));
        assertThat(alice.growCluster("db", "db", 1).members()).extracting(ClusterMember::name).containsExactly("db.0", "db.2");
    }

    @Test
    void promoteNeedsAFailoverClusterAndAnUnhealthyPrimaryOrForce() {
        createDb(2, 1, 4, ClusterTopology.FAILOVER);
        String p0 = instanceOf(n1.nodeInfo("n1"), "db/db.0").partition();
        n1.reportInstance("n1", p0, InstanceState.STARTED, null); // healthy: started, and n1 was just heard from
        assertThatThrownBy(() -> alice.promoteCluster("db", "db.1", false)).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).startsWith("the primary 'db.0' is healthy (started, node n1 heard from ")
                    .endsWith("); promote only when it is not, or with --force (healthy primary)");
        });
        long v1 = n1.nodeInfo("n1").version();
        assertThat(alice.promoteCluster("db", "db.1", true).primary()).isEqualTo("db.1");
        assertThat(n1.nodeInfo("n1").version()).isGreaterThan(v1);
        assertThat(instanceOf(n1.nodeInfo("n1"), "db/db.0").cluster().primary()).isEqualTo("db.1");
        // db.1, the primary now, has not reported started: it is not healthy, no --force needed.
        assertThat(alice.promoteCluster("db", "db.0", false).primary()).isEqualTo("db.0");

        alice.createCluster(new ClusterRequest("web", SR, ClusterTopology.FLEX, null,
                List.of(new ClusterRole("front", null, null, 0, 0, 2))));
        assertThatThrownBy(() -> alice.promoteCluster("web", "front.0", true)).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).isEqualTo("cluster 'web' is flex: only a failover cluster has a primary to promote (topology)");
        });
    }

    @Test
    void createIsAllOrNothingAndDestroyRemovesEveryMember() {
        assertThatThrownBy(() -> createDb(5, 1, 6, ClusterTopology.FLEX)).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).isEqualTo("cluster 'db' not created: cannot place db.4: no node alice may use has a free partition");
        });
        assertThat(alice.clusters(false)).isEmpty();
        assertThat(alice.list()).allSatisfy(i -> assertThat(i.requestedState()).isEqualTo(RequestedState.DESTROYED));
        assertThatThrownBy(() -> alice.createCluster(new ClusterRequest("x", SR, null, null,
                List.of(new ClusterRole("db", null, null, 3, 4, 5))))).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).contains("min <= count <= max");
        });
        assertThatThrownBy(() -> alice.createCluster(new ClusterRequest("a/b", SR, null, null,
                List.of(new ClusterRole("db", null, null, 1, 1, 1))))).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(400));
    }

    /** Issue 13 item 6: the status tree, aggregated as OpenSVC does (seed 002), from what the nodes reported. */
    @Test
    void theStatusTreeAggregatesAsOpenSvcWithFlexMinimumDegradingToWarn() {
        alice.createCluster(new ClusterRequest("web", SR, ClusterTopology.FLEX, Map.of(),
                List.of(new ClusterRole("web", "default", null, 2, 2, 2))));
        ClusterInfo c = alice.cluster("web");
        ClusterMember w0 = member(c, "web.0");
        ClusterMember w1 = member(c, "web.1");
        var running = new org.slapgrid.slap.model.PartitionStatus.Service("httpd-on-watch", "RUNNING", 10, 1L, 0);
        var kept = new org.slapgrid.slap.model.PartitionStatus.Promise("listening", true, "");
        var broken = new org.slapgrid.slap.model.PartitionStatus.Promise("listening", false, "port 80 closed\nmore");
        var exited = new org.slapgrid.slap.model.PartitionStatus.Service("httpd-on-watch", "EXITED", null, null, 2);
        SlapClient node0 = w0.node().equals("n1") ? n1 : n2;
        SlapClient node1 = w1.node().equals("n1") ? n1 : n2;

        // one member up, the other not reported yet: undef is neutral, but the flex role is under its minimum
        node0.reportStatus(w0.node(), w0.partition(), new org.slapgrid.slap.model.PartitionStatus(List.of(running), List.of(kept), null, null));
        var s = alice.clusterStatus("web");
        assertThat(s.members()).extracting(m -> m.name(), m -> m.overall()).containsExactly(tuple("web.0", "up"), tuple("web.1", "undef"));
        assertThat(s.avail()).isEqualTo("warn");
        assertThat(s.notes()).containsExactly("role web: 1 member up, under its minimum of 2: degraded to warn (flex min)");

        // up + down = warn; a broken promise makes the accessory down and the member's overall warn
        node1.reportStatus(w1.node(), w1.partition(), new org.slapgrid.slap.model.PartitionStatus(List.of(exited), List.of(broken), null, null));
        s = alice.clusterStatus("web");
        var m1 = s.members().get(1);
        assertThat(m1.avail()).isEqualTo("down");
        assertThat(m1.accessory()).isEqualTo("down");
        assertThat(m1.promises()).singleElement().satisfies(p -> assertThat(p.detail()).isEqualTo("port 80 closed"));
        assertThat(s.avail()).isEqualTo("warn");
        assertThat(s.accessory()).isEqualTo("warn");

        // both up: up; a service stopped on purpose is n/a, neutral
        var onPurpose = new org.slapgrid.slap.model.PartitionStatus.Service("cron", "STOPPED", null, null, 0, List.of(), true);
        node1.reportStatus(w1.node(), w1.partition(), new org.slapgrid.slap.model.PartitionStatus(List.of(running, onPurpose),
                List.of(kept), null, null));
        s = alice.clusterStatus("web");
        assertThat(s.members().get(1).services()).extracting(x -> x.status()).containsExactly("up", "n/a");
        assertThat(s.overall()).isEqualTo("up");
        assertThat(s.notes()).isEmpty();

        // a run-once script (etc/run) that exited with 0 did its work: up; one that failed is down
        var done = new org.slapgrid.slap.model.PartitionStatus.Service("replicate", "EXITED", null, null, 0, List.of(), false, true, 0);
        var failed = new org.slapgrid.slap.model.PartitionStatus.Service("migrate", "EXITED", null, null, 0, List.of(), false, true, 3);
        node1.reportStatus(w1.node(), w1.partition(), new org.slapgrid.slap.model.PartitionStatus(List.of(running, done),
                List.of(kept), null, null));
        s = alice.clusterStatus("web");
        assertThat(s.members().get(1).services()).extracting(x -> x.status(), x -> x.detail())
                .containsExactly(tuple("up", "RUNNING"), tuple("up", "EXITED (run once, done)"));
        assertThat(s.overall()).isEqualTo("up");
        node1.reportStatus(w1.node(), w1.partition(), new org.slapgrid.slap.model.PartitionStatus(List.of(running, failed),
                List.of(kept), null, null));
        assertThat(alice.clusterStatus("web").members().get(1).avail()).isEqualTo("warn");
        assertThatThrownBy(() -> bob.clusterStatus("web")).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }
}
