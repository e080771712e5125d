package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.store.PostgresFixture;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.SupplyState;

/**
 * A master killed with SIGKILL in the middle of a stream of requests loses nothing: two master
 * PROCESSES on one real PostgreSQL; a client keeps requesting instances through A; A is killed;
 * then, through B, every request A acknowledged (2xx) is there with its parameters, a request
 * that got no answer is either wholly there or wholly absent (no partition allocated to a missing
 * instance, no instance pointing at a partition that is not its own), and re-sending the
 * unanswered requests to B succeeds and is idempotent (one instance per name).
 */
class PostgresMasterKillTest {
    private static final String SR = "https://example.org/sr.cfg";
    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture("kill");

    @TempDir
    Path tmp;

    /** Starts a master JVM on the test's class path; returns it once it printed its URL. */
    private static Process startMaster(Path dataDir, String dbUrl, AtomicReference<URI> url) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                MasterProcess.class.getName(), dataDir.toString(), dbUrl).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("LISTENING ")) {
                        url.set(URI.create(line.substring("LISTENING ".length()).strip()));
                    }
                }
            } catch (Exception e) {
                // the process died: its output ends here
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> url.get() != null || !p.isAlive());
        assertThat(p.isAlive()).as("master process started").isTrue();
        return p;
    }

    private static SlapClient client(URI url, String token) {
        return SlapClient.builder(url).token(token).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aMasterKilledMidRequestLosesNothing() throws Exception {
        String dbUrl = POSTGRES.newDatabase();
        Path dataDir = Files.createDirectories(tmp.resolve("master")); // shared: both read one admin token
        AtomicReference<URI> urlA = new AtomicReference<>();
        AtomicReference<URI> urlB = new AtomicReference<>();
        Process a = startMaster(dataDir, dbUrl, urlA);
        Process b = null;
        try {
            b = startMaster(dataDir, dbUrl, urlB);
            String token = Files.readString(dataDir.resolve("admin-token")).strip();
            SlapClient adminA = client(urlA.get(), token);
            SlapClient adminB = client(urlB.get(), token);
            List<String> partitions = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                partitions.add("slappart" + i);
            }
            adminA.registerNode("n1", partitions);
            adminA.supply(SR, "n1", SupplyState.AVAILABLE);

            // The client: request after request through A, recording which got an answer.
            List<Integer> acknowledged = new CopyOnWriteArrayList<>();
            List<Integer> unanswered = new CopyOnWriteArrayList<>();
            Thread sender = new Thread(() -> {
                for (int n = 0; n < partitions.size(); n++) {
                    try {
                        adminA.request(request(n));
                        acknowledged.add(n);
                    } catch (RuntimeException e) {
                        unanswered.add(n); // A died under it (or before it): keep going until a few failed
                        if (unanswered.size() >= 3) {
                            return;
                        }
                    }
                }
            });
            sender.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 20);
            a.destroyForcibly();
            await().atMost(Duration.ofSeconds(30)).until(() -> !a.isAlive() && !sender.isAlive());
            System.out.println("kill -9 of master A: " + acknowledged.size() + " requests acknowledged, unanswered " + unanswered);
            assertThat(unanswered).as("the client saw A die").isNotEmpty();

            // Nothing acknowledged is lost: each is there through B, with its parameters.
            for (int n : acknowledged) {
                Instance i = adminB.info("i" + n);
                assertThat(i.parameters()).as("i" + n).containsEntry("n", String.valueOf(n));
                assertThat(i.parameters()).as("i" + n).containsEntry("payload", payload(n));
            }
            // No half-written state, checked in the database itself.
            assertNoOrphans(dbUrl);
            for (int n : unanswered) {
                List<Instance> same = adminB.list().stream().filter(i -> i.name().equals("i" + n)).toList();
                assertThat(same).as("i" + n + " is there once or not at all").hasSizeLessThanOrEqualTo(1);
                same.forEach(i -> assertThat(i.parameters()).as("i" + n + " is whole")
                        .containsEntry("n", String.valueOf(n)).containsEntry("payload", payload(n)));
            }

            // Re-sending the unanswered requests to B succeeds, twice, and yields one instance each.
            for (int n : unanswered) {
                Instance first = adminB.request(request(n));
                Instance again = adminB.request(request(n));
                assertThat(again.id()).isEqualTo(first.id());
                assertThat(adminB.info("i" + n).parameters()).containsEntry("payload", payload(n));
            }
            long named = adminB.list().stream().filter(i -> i.name().startsWith("i")).count();
            assertThat(named).isEqualTo(acknowledged.size() + unanswered.size());
            assertNoOrphans(dbUrl);
        } finally {
            a.destroyForcibly();
            if (b != null) {
                b.destroyForcibly();
            }
        }
    }

    private static InstanceRequest request(int n) {
        return InstanceRequest.of("i" + n, SR, Map.of("n", String.valueOf(n), "payload", payload(n)));
    }

    private static String payload(int n) {
        return "x".repeat(2000) + n;
    }

    /** A partition allocated to no existing instance, or an instance on a partition not allocated to it, is half-written. */
    private static void assertNoOrphans(String dbUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "");
             Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM node_partition p WHERE p.instance_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM instance i WHERE i.id = p.instance_id)")) {
                r.next();
                assertThat(r.getLong(1)).as("partitions allocated to a missing instance").isZero();
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM instance i WHERE i.partition_id IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM node_partition p WHERE p.node_id = i.node_id"
                    + " AND p.id = i.partition_id AND p.instance_id = i.id)")) {
                r.next();
                assertThat(r.getLong(1)).as("instances on a partition not theirs").isZero();
            }
        }
    }
}
