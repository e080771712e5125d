package org.slapgrid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.JobReport;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.PartitionJob;

/**
 * Issue 13: a real master process ({@code slapos master}) killed with SIGKILL during a grow and
 * during a backup. After a restart on the same data directory the cluster's task is NONE again
 * or the operation completes (the backup, once the nodes report their jobs to the new master);
 * no partition is leaked (every instance allocated is a member of the cluster).
 */
class MasterKillNineTest {
    @TempDir
    Path tmp;
    Process master;
    int port;

    @AfterEach
    void stop() {
        if (master != null) {
            master.destroyForcibly();
        }
    }

    void startMaster() throws Exception {
        Path data = tmp.resolve("master");
        master = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "master", "--data-dir", data.toString(),
                "--listen", "127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(tmp.resolve("master.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/clusters")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 401);
    }

    void killNine() throws Exception {
        master.destroyForcibly(); // SIGKILL on Linux
        master.waitFor();
    }

    SlapClient client(String token) {
        return SlapClient.builder(URI.create("http://127.0.0.1:" + port + "/")).token(token).timeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void aMasterKilledDuringAGrowAndDuringABackupEndsOrCompletesThemAfterItsRestart() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startMaster();
        SlapClient admin = client(Files.readString(tmp.resolve("master/admin-token")).strip());
        Map<String, SlapClient> nodes = Map.of(
                "n1", client(admin.registerNode("n1", List.of("slappart0", "slappart1", "slappart2")).secret()),
                "n2", client(admin.registerNode("n2", List.of("slappart0", "slappart1", "slappart2")).secret()));
        admin.createCluster(new ClusterRequest("db", "https://example.org/sr/db.cfg", ClusterTopology.FLEX, Map.of(),
                List.of(new ClusterRole("db", "default", null, 2, 1, 6))));

        // kill -9 while a grow of 3 is in flight
        String body = "{\"role\":\"db\",\"count\":3}";
        CompletableFuture<HttpResponse<String>> grow = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/clusters/db/grow")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Files.readString(tmp.resolve("master/admin-token")).strip())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() ->
                grow.isDone() || admin.cluster("db").task() == ClusterTask.GROWING || admin.cluster("db").members().size() > 2);
        killNine();
        startMaster();
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.cluster("db").task() == ClusterTask.NONE);
        ClusterInfo afterGrow = admin.cluster("db");
        assertThat(afterGrow.members().size()).as("the grow completed or ended, never half stuck").isBetween(2, 5);
        assertNoPartitionLeaked(admin, afterGrow);

        // kill -9 during a backup: the task waits for its jobs, which the nodes report to the restarted master
        assertThat(admin.backupCluster("db").task()).isEqualTo(ClusterTask.BACKING_UP);
        killNine();
        startMaster();
        assertThat(admin.cluster("db").task()).isIn(ClusterTask.BACKING_UP, ClusterTask.NONE);
        for (Map.Entry<String, SlapClient> n : nodes.entrySet()) {
            for (PartitionInfo p : n.getValue().nodeInfo(n.getKey()).partitions()) {
                for (PartitionJob j : p.jobs()) {
                    Path part = tmp.resolve(j.id() + ".tar.gz");
                    Files.writeString(part, "part of " + p.instance().name());
                    n.getValue().uploadJobArtifact(n.getKey(), p.id(), j.id(), part);
                    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(part)));
                    n.getValue().reportJob(n.getKey(), p.id(), j.id(), new JobReport(JobState.DONE, 0, "", 5L, Map.of("sha256", sha)));
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.cluster("db").task() == ClusterTask.NONE);
        assertThat(admin.cluster("db").lastError()).isNull();
        assertThat(admin.clusterBackups("db")).singleElement()
                .satisfies(b -> assertThat(b.parts()).hasSize(afterGrow.members().size()));
        assertNoPartitionLeaked(admin, admin.cluster("db"));
    }

    /** Every allocated instance is a member of the cluster, and every member has its instance. */
    static void assertNoPartitionLeaked(SlapClient admin, ClusterInfo c) {
        List<String> allocated = admin.list().stream().filter(i -> i.partition() != null
                && i.requestedState() != org.slapgrid.slap.model.RequestedState.DESTROYED).map(Instance::name).sorted().toList();
        assertThat(allocated).isEqualTo(c.members().stream().map(m -> "db/" + m.name()).sorted().toList());
        assertThat(c.members()).allSatisfy(m -> assertThat(m.partition()).isNotNull());
    }
}
