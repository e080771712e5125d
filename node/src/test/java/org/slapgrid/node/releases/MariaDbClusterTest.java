package org.slapgrid.node.releases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterBackup;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.node.format.Partition;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13's end-to-end test: a real master, two real node daemons (two nodes on one machine,
 * each with its own partition users and address range, each its own supervisord) and the
 * {@code mariadb-cluster} release (Debian's MariaDB, GTID replication). A 3-member failover
 * cluster spread over both nodes: a row written on the primary is read on both replicas; a
 * 4th member grown catches up; a shrink under the minimum is refused naming the rule; the
 * primary's node stopped, a replica promoted takes writes and the other replica follows it.
 * The release's etc/backup and etc/restore are run as the node's jobs run them (a dump of the
 * primary; loaded on the new primary, replicated to the other replica), and through the
 * cluster operations: a restart while a backup runs is refused, the backup restored as cluster
 * {@code copy} has the same rows on every member, a restore into another size is refused. Last,
 * a replica shrunk away runs the release's etc/lifecycle/termination: it stops replicating
 * cleanly and completes its lifecycle hook, and is destroyed at once.
 */
class MariaDbClusterTest {

    private static final Duration SETTLE = Duration.ofMinutes(4);
    private static final String PASSWORD = "Us3rPasswordForTheClusterTest";
    private static final String REPLICATION = "Repl1cationPasswordForTheTest";

    @TempDir
    Path tmp;

    @Test
    void aReplicatedClusterOverTwoNodesGrowsRefusesToShrinkUnderItsMinimumAndFailsOver() throws Exception {
        MariaDbReleaseTest.assumeNodeHasMariaDb();
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Process> daemons = new ArrayList<>();
        try (NodeFixture a = NodeFixture.start(Files.createDirectories(tmp.resolve("a")), "node-ca", "sgca", 4);
             NodeFixture b = NodeFixture.join(Files.createDirectories(tmp.resolve("b")), a, "node-cb", "sgcb", 4)) {
            assertThat(a.config().ipv4Network()).isNotEqualTo(b.config().ipv4Network());
            assertThat(a.partitions().get(0).user()).isEqualTo("sgca0");
            assertThat(b.partitions().get(0).user()).isEqualTo("sgcb0");
            ReleaseTrees.copy("mariadb", tmp.resolve("repo"));
            String url = ReleaseTrees.copy("mariadb-cluster", tmp.resolve("repo")).toString();
            Process da = daemon(a, tmp.resolve("daemon-a.log"));
            daemons.add(da);
            daemons.add(daemon(b, tmp.resolve("daemon-b.log")));
            SlapClient admin = a.admin();

            ClusterInfo created = admin.createCluster(new ClusterRequest("db", url, ClusterTopology.FAILOVER,
                    Map.of("password", PASSWORD, "replication-password", REPLICATION),
                    List.of(new ClusterRole("db", "default", Map.of(), 3, 2, 4))));
            assertThat(created.members()).extracting(ClusterMember::node).as("spread over both nodes")
                    .contains("node-ca", "node-cb");
            assertThat(created.primary()).isEqualTo("db.0");
            ClusterInfo up = awaitMembersStarted(admin, 3);
            for (ClusterMember m : up.members()) {
                NodeFixture n = m.node().equals("node-ca") ? a : b;
                assertThat(m.address()).as(m.name() + "'s address, as its node reported it")
                        .isEqualTo(n.partition(m.partition()).ipv4());
            }

            String primaryUrl = url(up, "db.0");
            MariaDbReleaseTest.sql(primaryUrl, "CREATE TABLE kept (v VARCHAR(40)); INSERT INTO kept VALUES ('on the primary')");
            assertThat(MariaDbReleaseTest.sql(primaryUrl, "SELECT @@read_only, @@server_id")).isEqualTo("0\t1");
            for (String replica : List.of("db.1", "db.2")) {
                awaitRows(url(up, replica), "on the primary");
                assertThat(MariaDbReleaseTest.sql(url(up, replica), "SELECT @@read_only")).as(replica + " refuses writes").isEqualTo("1");
            }

            // the cluster operations (s13ops's, through the nodes' jobs): a restart while a backup runs is
            // refused; the backup restored as a new cluster of the same size has the same rows; another size is refused
            admin.backupCluster("db");
            assertThatThrownBy(() -> admin.restartCluster("db")).isInstanceOf(SlapException.class)
                    .satisfies(e -> assertThat(((SlapException) e).status()).isEqualTo(409));
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(admin.cluster("db").task()).as(admin.cluster("db").lastError() + "\n" + logs()).isEqualTo(ClusterTask.NONE);
                assertThat(admin.clusterBackups("db")).hasSize(1);
            });
            ClusterBackup saved = admin.clusterBackups("db").get(0);
            assertThat(saved.parts()).hasSize(3);
            assertThatThrownBy(() -> admin.restoreBackup(saved.id(), "copy2", List.of(new ClusterRole("db", null, null, 2, 2, 4))))
                    .hasMessageContaining("another size").hasMessageContaining("(same size as the backup)");
            admin.restoreBackup(saved.id(), "copy", null);
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                ClusterInfo copy = admin.cluster("copy");
                assertThat(copy.task()).as(copy.lastError() + "\n" + logs()).isEqualTo(ClusterTask.NONE);
                assertThat(copy.lastError()).isNull();
                assertThat(copy.members()).hasSize(3).allSatisfy(m -> assertThat(m.connectionParameters()).containsKey("url"));
            });
            ClusterInfo copy = admin.cluster("copy");
            for (ClusterMember m : copy.members()) {
                awaitRows(m.connectionParameters().get("url").toString(), "on the primary");
            }
            admin.destroyCluster("copy");

            // grow: the 4th member starts empty and catches up from the primary's binary log (GTID)
            admin.growCluster("db", "db", 1);
            ClusterInfo grown = awaitMembersStarted(admin, 4);
            awaitRows(url(grown, "db.3"), "on the primary");

            // etc/backup as the node's backup job runs it: the primary's user, into an empty directory it owns
            NodeFixture primaryHost = nodeOf(grown, "db.0", a, b);
            Path part = Files.createDirectory(tmp.resolve("backup-part"));
            ProcessResult backup = asPartitionUser(primaryHost, member(grown, "db.0").partition(), "etc/backup",
                    "SLAPGRID_BACKUP_DIR", part);
            assertThat(backup.getExitValue()).as(backup.outputUTF8()).isZero();
            assertThat(Files.readString(part.resolve("main.sql"))).contains("'on the primary'").contains("GTID");

            // shrink under the minimum: refused, naming the rule
            assertThatThrownBy(() -> admin.shrinkCluster("db", List.of("db.1", "db.2", "db.3")))
                    .hasMessageContaining("under its minimum of 2 (min)");

            // the primary's node stops (daemon and services): promote a replica of the other node
            NodeFixture primaryNode = primaryHost;
            NodeFixture other = primaryNode == a ? b : a;
            (primaryNode == a ? da : daemons.get(1)).destroyForcibly().waitFor();
            primaryNode.supervisor().shutdown();
            List<ClusterMember> survivors = grown.members().stream().filter(m -> m.node().equals(other.nodeId())).toList();
            assertThat(survivors).hasSize(2);
            String promoted = survivors.get(0).name();
            String follower = survivors.get(1).name();
            admin.promoteCluster("db", promoted, true);
            String promotedUrl = url(grown, promoted);
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() ->
                    assertThat(MariaDbReleaseTest.sql(promotedUrl, "SELECT @@read_only")).isEqualTo("0"));
            MariaDbReleaseTest.sql(promotedUrl, "INSERT INTO kept VALUES ('after the promotion')");
            awaitRows(url(grown, follower), "after the promotion\non the primary");

            // etc/restore on the new primary loads the dump; the other replica gets it through replication
            ProcessResult restore = asPartitionUser(other, member(grown, promoted).partition(), "etc/restore",
                    "SLAPGRID_RESTORE_DIR", part);
            assertThat(restore.getExitValue()).as(restore.outputUTF8()).isZero();
            awaitRows(url(grown, follower), "on the primary");
            ProcessResult onReplica = asPartitionUser(other, member(grown, follower).partition(), "etc/restore",
                    "SLAPGRID_RESTORE_DIR", part);
            assertThat(onReplica.outputUTF8()).contains("restored through replication from the primary");

            // the follower leaves (shrink): its etc/lifecycle/termination, run by its node with its token, stops
            // replicating cleanly (everything received applied, the primary forgotten) and completes the hook,
            // so it is destroyed at once rather than at the default hook_timeout (60 s)
            admin.shrinkCluster("db", List.of(follower));
            String promotedAddress = member(grown, promoted).address();
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(admin.list()).as(logs()).noneMatch(i -> i.name().equals("db/" + follower)
                        && i.reportedState() != InstanceState.DESTROYED);
                assertThat(admin.clusterEvents("db")).as(logs()).anySatisfy(e -> {
                    assertThat(e.message()).startsWith("lifecycle/termination on " + follower + ": exit 0")
                            .endsWith(follower + ": lifecycle hook completed");
                    assertThat(String.valueOf(e.details().get("output"))).contains(follower + ": replication from "
                            + promotedAddress + " stopped cleanly at GTID ").contains("everything received applied");
                });
            });
            List<String> events = admin.clusterEvents("db").stream().map(e -> e.message()).toList();
            assertThat(events).anyMatch(e -> e.startsWith(follower + " is WAITING_LIFECYCLE_COMPLETION"))
                    .anyMatch(e -> e.startsWith(follower + ": lifecycle hook completed by instance:"))
                    .noneMatch(e -> e.contains("(hook_timeout); removing it anyway"));
            assertThat(admin.cluster("db").members()).extracting(ClusterMember::name).doesNotContain(follower).hasSize(3);
        } finally {
            NodeFixture.stopDaemons(daemons);
        }
    }

    private static ClusterMember member(ClusterInfo c, String name) {
        return c.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    /** Runs a partition's executable as its user with one more environment variable, as the node's jobs do. */
    private static ProcessResult asPartitionUser(NodeFixture n, String partitionId, String executable, String variable,
                                                 Path directory) throws Exception {
        Partition p = n.partition(partitionId);
        if (NodeFixture.ROOT) { // the directory and what is in it are the partition user's, as the node's job gives them
            var owner = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(p.user());
            try (var files = Files.walk(directory)) {
                for (Path f : files.toList()) {
                    Files.setOwner(f, owner);
                }
            }
        }
        List<String> command = List.of("env", variable + "=" + directory, p.directory().resolve(executable).toString());
        List<String> argv = new ArrayList<>(NodeFixture.ROOT ? List.of("runuser", "-u", p.user(), "--") : List.of());
        argv.addAll(command);
        return new ProcessExecutor().command(argv).directory(p.directory().toFile()).readOutput(true)
                .timeout(120, TimeUnit.SECONDS).execute();
    }

    private static Process daemon(NodeFixture n, Path log) throws Exception {
        return n.startDaemon(log);
    }

    private ClusterInfo awaitMembersStarted(SlapClient admin, int count) {
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            ClusterInfo c = admin.cluster("db");
            assertThat(c.members()).as(logs()).hasSize(count).allSatisfy(m -> {
                assertThat(m.reportedState()).as(m.name()).isEqualTo(InstanceState.STARTED);
                assertThat(m.connectionParameters()).as(m.name()).containsKey("url");
                assertThat(m.address()).as(m.name()).isNotNull();
            });
        });
        return admin.cluster("db");
    }

    private static void awaitRows(String mysqlUrl, String rows) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                assertThat(MariaDbReleaseTest.sql(mysqlUrl, "SELECT v FROM kept ORDER BY v")).isEqualTo(rows));
    }

    private static String url(ClusterInfo c, String member) {
        return c.members().stream().filter(m -> m.name().equals(member)).findFirst().orElseThrow()
                .connectionParameters().get("url").toString();
    }

    private static NodeFixture nodeOf(ClusterInfo c, String member, NodeFixture a, NodeFixture b) {
        String node = c.members().stream().filter(m -> m.name().equals(member)).findFirst().orElseThrow().node();
        return node.equals(a.nodeId()) ? a : b;
    }

    private String logs() {
        return NodeFixture.tails(40, tmp.resolve("daemon-a.log"), tmp.resolve("daemon-b.log"));
    }
}
