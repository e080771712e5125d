package org.slapgrid.node.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.daemon.Backoff;
import org.slapgrid.node.daemon.NodeDaemon;
import org.slapgrid.node.format.Partition;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterBackup;
import org.slapgrid.slap.model.ClusterEvent;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.testing.Require;

/**
 * Issue 13's backup, restore and rolling restart through partition jobs, with a real master, a
 * real node daemon and supervisord, and a tiny release whose {@code etc/backup} copies the
 * member's {@code srv} into {@code SLAPGRID_BACKUP_DIR} and whose {@code etc/restore} copies
 * {@code SLAPGRID_RESTORE_DIR} back (as the partition's user: they run as it).
 */
class ClusterOperationsTest {
    @TempDir
    Path tmp;

    @Test
    void backupRestoreAndRollingRestartRunOnTheMembersNodes() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-ops", "sgops", 4)) {
            String url = NodeFixture.writeRelease(tmp.resolve("rel"), "[buildout]\nparts = instance-profile\n", PROFILE);
            n.supplyAndBuild(url);
            NodeDaemon daemon = new NodeDaemon(n.assemble(Duration.ofSeconds(20)), Duration.ofSeconds(30),
                    Duration.ofSeconds(30), Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), n.logger());
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                n.admin().createCluster(new ClusterRequest("db", url, ClusterTopology.FAILOVER, Map.of(),
                        List.of(new ClusterRole("db", "default", null, 2, 1, 3))));
                awaitStarted(n, "db");
                List<ClusterMember> members = n.admin().cluster("db").members();
                for (ClusterMember m : members) {
                    writeAsPartition(n.partition(m.partition()), "srv/rows.txt", "rows of " + m.name() + "\n");
                }

                // backup: busy while it runs (a restart is refused with 409), then ONE entry with both parts
                ClusterInfo started = n.admin().backupCluster("db");
                assertThat(started.task()).isEqualTo(ClusterTask.BACKING_UP);
                assertThatThrownBy(() -> n.admin().restartCluster("db")).isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("is busy (task BACKING_UP)");
                });
                awaitIdle(n, "db", 60);
                assertThat(n.admin().cluster("db").lastError()).as(n.log()).isNull();
                List<ClusterBackup> backups = n.admin().clusterBackups("db");
                assertThat(backups).singleElement().satisfies(b -> {
                    assertThat(b.parts()).extracting(ClusterBackup.Part::member).containsExactly("db.0", "db.1");
                    assertThat(b.parts()).allSatisfy(p -> assertThat(p.sha256()).hasSize(64));
                    assertThat(b.roles()).singleElement().satisfies(r -> assertThat(r.count()).isEqualTo(2));
                });
                String backupId = backups.get(0).id();

                // a member whose etc/backup fails fails the backup, named; nothing is recorded, no part is left
                writeAsPartition(n.partition(members.get(1).partition()), "srv/fail", "");
                n.admin().backupCluster("db");
                awaitIdle(n, "db", 60);
                assertThat(n.admin().cluster("db").lastError()).contains("backup failed, nothing recorded: member db.1 failed");
                assertThat(n.admin().clusterBackups("db")).extracting(ClusterBackup::id).containsExactly(backupId);
                try (var dirs = Files.list(n.master().config().dataDir().resolve("backups"))) {
                    assertThat(dirs.map(p -> p.getFileName().toString())).containsExactly(backupId);
                }
                try (var files = Files.list(n.master().config().dataDir().resolve("jobs"))) {
                    assertThat(files.filter(p -> p.toString().endsWith(".out"))).isEmpty();
                }
                Files.delete(n.partition(members.get(1).partition()).directory().resolve("srv/fail"));

                // restore: only into the backup's size, naming the difference; then each member gets its part
                assertThatThrownBy(() -> n.admin().restoreBackup(backupId, "copy", List.of(new ClusterRole("db", null, null, 1, 1, 1))))
                        .isInstanceOfSatisfying(SlapException.class, e -> {
                            assertThat(e.status()).isEqualTo(422);
                            assertThat(e.getMessage()).isEqualTo("cannot restore backup " + backupId + " into a cluster of another"
                                    + " size: the backup has 2 members of role 'db', the new cluster would have 1 (same size as the backup)");
                        });
                ClusterInfo copy = n.admin().restoreBackup(backupId, "copy", null);
                assertThat(copy.task()).isEqualTo(ClusterTask.RESTORING);
                awaitIdle(n, "copy", 120);
                assertThat(n.admin().cluster("copy").lastError()).as(n.log()).isNull();
                for (ClusterMember m : n.admin().cluster("copy").members()) {
                    assertThat(Files.readString(n.partition(m.partition()).directory().resolve("srv/rows.txt")))
                            .isEqualTo("rows of " + m.name() + "\n");
                }

                // rolling restart: every member's service restarted, one at a time, promises kept
                awaitStarted(n, "db");
                n.admin().restartCluster("db");
                awaitIdle(n, "db", 60);
                assertThat(n.admin().cluster("db").lastError()).as(n.log()).isNull();
                List<String> log = n.admin().clusterEvents("db").stream().map(ClusterEvent::message).toList();
                assertThat(log).as(String.join("\n", log)).contains("member db.1 restarted, its promises kept; now db.0",
                        "RESTARTING done");
                assertThat(log.indexOf("member db.1 restarted, its promises kept; now db.0")).as("the primary last")
                        .isLessThan(log.lastIndexOf("RESTARTING done"));
            } finally {
                daemon.stop();
                thread.join(60_000);
            }
        }
    }

    static final String PROFILE = """
            [buildout]
            parts = directory data backup restore alive

            [directory]
            recipe = slapos.cookbook:mkdirectory
            etc = ${buildout:directory}/etc
            service = ${buildout:directory}/etc/service
            promise = ${buildout:directory}/etc/promise
            srv = ${buildout:directory}/srv

            [data]
            recipe = slapos.cookbook:wrapper
            command-line = sleep 3600
            wrapper-path = ${directory:service}/data

            [backup]
            recipe = slapos.cookbook:wrapper
            command-line = sh -c 'sleep 1; test ! -e ${directory:srv}/fail || { echo refusing to back up; exit 3; }; cp -r ${directory:srv}/. "$SLAPGRID_BACKUP_DIR"/'
            wrapper-path = ${directory:etc}/backup

            [restore]
            recipe = slapos.cookbook:wrapper
            command-line = sh -c 'cp -r "$SLAPGRID_RESTORE_DIR"/. ${directory:srv}/'
            wrapper-path = ${directory:etc}/restore

            [alive]
            recipe = slapos.cookbook:wrapper
            command-line = test -d ${directory:srv}
            wrapper-path = ${directory:promise}/alive
            """;

    static void writeAsPartition(Partition p, String relative, String content) throws Exception {
        Path f = p.directory().resolve(relative);
        Files.writeString(f, content);
        if (NodeFixture.ROOT) {
            Files.setOwner(f, f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(p.user()));
        }
    }

    static void awaitIdle(NodeFixture n, String cluster, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(n.admin().cluster(cluster).task()).as(n.log()).isEqualTo(ClusterTask.NONE));
    }

    static void awaitStarted(NodeFixture n, String cluster) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(n.admin().cluster(cluster).members()).as(n.log())
                        .allSatisfy(m -> assertThat(m.reportedState()).isEqualTo(InstanceState.STARTED)));
    }
}
