package org.slapgrid.node.releases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.node.supervisor.crash.CrashListener;
import org.slapgrid.node.supervisor.crash.CrashReport;
import org.slapgrid.node.supervisor.crash.CrashSummary;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.crash.WatchSettings;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.slapgrid.testing.Require;

/**
 * The MariaDB release ({@code software-releases/mariadb}) on a whole node with real parts:
 * Debian's MariaDB server under a real supervisord, instances converged as their partitions'
 * users, SQL through the published connection URLs with the real {@code mariadb} client.
 */
class MariaDbReleaseTest {

    private static final Duration SETTLE = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void buildsAndServesTwoInstancesThatKeepTheirDataThroughReRunsChangesCrashesStopsAndDestruction() throws Exception {
        assumeNodeHasMariaDb();
        try (NodeFixture n = NodeFixture.start(tmp, "node-mariadb", "sgmdb", 2)) {
            String url = ReleaseTrees.copy("mariadb", tmp.resolve("repo")).toString();
            // a variant whose server binary is missing must fail to build, saying what to install
            Path broken = Files.createDirectories(tmp.resolve("repo/software-releases/mariadb-elsewhere")).resolve("software.cfg");
            Files.writeString(broken, "[buildout]\nextends = ../mariadb/software.cfg\n\n[mariadb]\nmariadbd = /nonexistent/mariadbd\n");
            n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
            n.admin().supply(broken.toString(), n.nodeId(), SupplyState.AVAILABLE);
            assertThat(n.software().install(n.node().nodeInfo(n.nodeId()).software(), false)).as(n.log())
                    .extracting(SoftwareOutcome::url, SoftwareOutcome::kind)
                    .containsExactlyInAnyOrder(tuple(url, SoftwareOutcome.Kind.BUILT), tuple(broken.toString(), SoftwareOutcome.Kind.FAILED));
            assertThat(n.node().nodeInfo(n.nodeId()).software()).filteredOn(s -> s.url().equals(broken.toString()))
                    .singleElement().satisfies(s -> assertThat(s.errorLog())
                            .contains("missing executable(s): /nonexistent/mariadbd").contains("apt-get install mariadb-server"));

            List<CrashReport> crashes = new CopyOnWriteArrayList<>();
            try (CrashWatcher watcher = new CrashWatcher(n.supervisor(), recorder(crashes), WatchSettings.defaults())) {
                watcher.start();

                long requested = System.nanoTime();
                n.admin().request(n.request("db-a", url, Map.of()));
                // same port, other address: each server binds its partition's own address
                n.admin().request(n.request("db-b", url, Map.of("database", "shop", "user", "shopkeeper",
                        "memory", 64, "character-set", "latin1")));
                n.convergeUntilSettled(SETTLE);
                // a figure for the benchmarks page, not an assertion
                System.out.printf("MariaDbReleaseTest: two instances from request to connection URL in %d ms (release built)%n",
                        Duration.ofNanos(System.nanoTime() - requested).toMillis());

                Instance a = n.admin().info("db-a");
                Instance b = n.admin().info("db-b");
                Partition pa = n.partition(a.partition());
                Partition pb = n.partition(b.partition());
                String urlA = (String) a.connectionParameters().get("url");
                String urlB = (String) b.connectionParameters().get("url");
                assertThat(urlA).isEqualTo("mysql://user:" + password(urlA) + "@" + pa.ipv4() + ":3306/main");
                assertThat(urlB).isEqualTo("mysql://shopkeeper:" + password(urlB) + "@" + pb.ipv4() + ":3306/shop");
                assertThat(password(urlA)).matches("[A-Za-z0-9]{24}").isNotEqualTo(password(urlB));
                assertThat(a.connectionParameters()).containsEntry("database", "main").containsEntry("user", "user");

                assertThat(pa.directory().resolve("etc/promise")).isDirectoryContaining("glob:**/mariadb-port-listening")
                        .isDirectoryContaining("glob:**/mariadb-socket-ping").isDirectoryContaining("glob:**/mariadb-sql-query");
                // the parameters reached each server, on its own address
                assertThat(sql(urlB, "SELECT @@character_set_server, @@innodb_buffer_pool_size, DATABASE(), @@bind_address"))
                        .isEqualTo("latin1\t" + 64 * 1024 * 1024 + "\tshop\t" + pb.ipv4());
                assertThat(sql(urlA, "SELECT @@character_set_server, DATABASE(), @@bind_address"))
                        .isEqualTo("utf8mb4\tmain\t" + pa.ipv4());
                // only root@localhost (generated password) and the instance's user exist
                assertThat(rootSql(pa, "SELECT CONCAT(user, '@', host) FROM mysql.user WHERE user <> 'mariadb.sys' ORDER BY 1"))
                        .isEqualTo("root@localhost\nuser@%");

                // the generated passwords reach no log: not the node's, the buildout runs' or the services'
                assertThat(logsOf(n, pa, pb)).isNotEmpty().allSatisfy(log -> assertThat(log)
                        .doesNotContain(password(urlA)).doesNotContain(password(urlB)).doesNotContain(rootPassword(pa)));

                sql(urlA, "CREATE TABLE kept (v VARCHAR(40)); INSERT INTO kept VALUES ('written through the url')");
                String secrets = secrets(pa);

                // a forced re-run changes nothing that matters: same passwords, same data
                List<PartitionOutcome> forced = n.converger().converge(n.node().nodeInfo(n.nodeId()), n.partitions(),
                        new InstanceConverger.Selection(true, null));
                assertThat(forced).as(n.log()).extracting(PartitionOutcome::kind).containsOnly(PartitionOutcome.Kind.CONVERGED);
                assertThat(secrets(pa)).isEqualTo(secrets);
                assertThat(url(n, "db-a")).isEqualTo(urlA);
                assertThat(rowsOf(urlA)).isEqualTo("written through the url");

                // a parameter change: the server restarts on its new port, over the same data
                n.admin().request(n.request("db-a", url, Map.of("port", "3310", "memory", "")));
                n.convergeUntilSettled(SETTLE);
                String movedA = url(n, "db-a");
                assertThat(movedA).isEqualTo(urlA.replace(":3306/", ":3310/"));
                assertThat(rowsOf(movedA)).isEqualTo("written through the url");
                assertThat(secrets(pa)).isEqualTo(secrets);
                // an empty parameter counts as none: the default memory applies
                assertThat(sql(movedA, "SELECT @@innodb_buffer_pool_size")).isEqualTo(Long.toString(128L * 1024 * 1024));
                assertThat(listening(pa.ipv4(), 3306)).isFalse();

                // kill -9: the supervised server comes back by itself, data intact
                long pid = Long.parseLong(Files.readString(pa.directory().resolve("var/run/mariadb.pid")).strip());
                exec("kill", "-9", Long.toString(pid));
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(rowsOf(movedA)).isEqualTo("written through the url"));
                assertThat(Long.parseLong(Files.readString(pa.directory().resolve("var/run/mariadb.pid")).strip())).isNotEqualTo(pid);
                assertThat(crashes).anySatisfy(c -> assertThat(c.partitionId()).isEqualTo(pa.id()));

                // stopped: its services stop; started: they come back with the data
                n.admin().request(new InstanceRequest("db-a", url, "default", Map.of("port", "3310"), RequestedState.STOPPED,
                        false, Map.of("node", n.nodeId())));
                assertThat(n.converge()).filteredOn(o -> o.partition().equals(pa.id())).extracting(PartitionOutcome::kind)
                        .as(n.log()).containsExactly(PartitionOutcome.Kind.CONVERGED);
                assertThat(listening(pa.ipv4(), 3310)).isFalse();
                assertThat(n.admin().info("db-a").reportedState()).isEqualTo(InstanceState.STOPPED);
                n.admin().request(n.request("db-a", url, Map.of("port", "3310")));
                n.convergeUntilSettled(SETTLE);
                assertThat(rowsOf(movedA)).isEqualTo("written through the url");

                // destruction runs the prerm script and frees the partition; the other instance stays
                n.admin().remove("db-a");
                assertThat(n.converge()).filteredOn(o -> o.partition().equals(pa.id())).extracting(PartitionOutcome::kind)
                        .as(n.log()).containsExactly(PartitionOutcome.Kind.DESTROYED);
                assertThat(n.log()).contains(pa.id() + ": prerm mariadb-drain: exit 0");
                try (Stream<Path> left = Files.list(pa.directory())) {
                    assertThat(left).isEmpty();
                }
                assertThat(n.node().nodeInfo(n.nodeId()).partitions()).filteredOn(p -> p.id().equals(pa.id()))
                        .singleElement().satisfies(p -> assertThat(p.instance()).isNull());
                assertThat(sql(urlB, "SELECT DATABASE()")).isEqualTo("shop");

                // the node stops services before it drains; on a server still running, the drain
                // stops writes, flushes and shuts it down cleanly (the watcher then restarts it)
                ProcessResult drained = asPartitionUser(pb, pb.directory().resolve("etc/prerm/mariadb-drain").toString());
                assertThat(drained.getExitValue()).as(drained.outputUTF8()).isZero();
                assertThat(drained.outputUTF8()).contains("writes stopped, tables flushed, server shut down");
                assertThat(serviceLog(n, pb)).contains("Shutdown complete");
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(sql(urlB, "SELECT DATABASE()")).isEqualTo("shop"));

                // a parameter the release's schema refuses is refused by the master, naming it, before any node sees it
                assertThatThrownBy(() -> n.admin().request(n.request("db-bad", url, Map.of("port", 80))))
                        .isInstanceOfSatisfying(SlapException.class, e -> {
                            assertThat(e.status()).isEqualTo(422);
                            assertThat(e.getMessage()).contains("parameter 'port'");
                        });
            }
        }
    }

    static void assumeNodeHasMariaDb() {
        Require.that(Files.isExecutable(Path.of("/usr/sbin/mariadbd")),
                "needs Debian's mariadb-server (installed by .ci/run; required when CI=true)");
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run; required when CI=true)");
    }

    private static CrashListener recorder(List<CrashReport> crashes) {
        return new CrashListener() {
            @Override
            public void crashed(CrashReport report) {
                crashes.add(report);
            }

            @Override
            public void crashesSuppressed(CrashSummary summary) {
                // counted by the watcher; nothing to record here
            }
        };
    }

    private static String url(NodeFixture n, String instance) {
        return (String) n.admin().info(instance).connectionParameters().get("url");
    }

    static String password(String mysqlUrl) {
        String userInfo = URI.create(mysqlUrl).getUserInfo();
        return userInfo.substring(userInfo.indexOf(':') + 1);
    }

    private static String rowsOf(String mysqlUrl) throws Exception {
        return sql(mysqlUrl, "SELECT v FROM kept");
    }

    /** Runs SQL with the real client through a {@code mysql://user:password@host:port/db} URL. */
    static String sql(String mysqlUrl, String statements) throws Exception {
        URI u = URI.create(mysqlUrl);
        String userInfo = u.getUserInfo();
        ProcessResult r = new ProcessExecutor().command("mariadb", "--no-defaults", "--protocol=TCP", "--host=" + u.getHost(),
                        "--port=" + u.getPort(), "--user=" + userInfo.substring(0, userInfo.indexOf(':')), "--batch",
                        "--skip-column-names", "--connect-timeout=5", u.getPath().substring(1), "-e", statements)
                .environment("MYSQL_PWD", password(mysqlUrl)).readOutput(true).timeout(30, TimeUnit.SECONDS).execute();
        assertThat(r.getExitValue()).as(r.outputUTF8()).isZero();
        return r.outputUTF8().strip();
    }

    /** SQL as the instance's root, over its UNIX socket, with the client options file the profile wrote. */
    private static String rootSql(Partition p, String statement) throws Exception {
        ProcessResult r = new ProcessExecutor().command("mariadb",
                        "--defaults-file=" + p.directory().resolve("etc/mariadb-root.cnf"), "--batch", "--skip-column-names",
                        "-e", statement)
                .readOutput(true).timeout(30, TimeUnit.SECONDS).execute();
        assertThat(r.getExitValue()).as(r.outputUTF8()).isZero();
        return r.outputUTF8().strip();
    }

    /** The generated passwords, which must never change once written. */
    private static String secrets(Partition p) throws IOException {
        return Files.readString(p.directory().resolve("etc/.mariadb-root.passwd"))
                + Files.readString(p.directory().resolve("etc/.mariadb-user.passwd"));
    }

    private static String rootPassword(Partition p) throws IOException {
        String json = Files.readString(p.directory().resolve("etc/.mariadb-root.passwd"));
        return json.replaceAll("(?s).*\"\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    /** The node's log, the buildout logs of the partitions and the services' logs. */
    private static List<String> logsOf(NodeFixture n, Partition... partitions) throws IOException {
        List<String> logs = new java.util.ArrayList<>(List.of(n.log()));
        for (Partition p : partitions) {
            logs.add(Files.readString(n.config().stateDirectory().resolve("partitions").resolve(p.id()).resolve("instance.log")));
            // the partition's own logs, and its services' logs that supervisord keeps in the node's var/log
            for (Path dir : List.of(p.directory().resolve("var/log"), n.config().instanceRoot().resolve("var/log").resolve(p.id()))) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        logs.add(Files.readString(f));
                    }
                }
            }
        }
        return logs;
    }

    private static ProcessResult asPartitionUser(Partition p, String command) throws Exception {
        List<String> argv = NodeFixture.ROOT ? List.of("runuser", "-u", p.user(), "--", command) : List.of(command);
        return new ProcessExecutor().command(argv).directory(p.directory().toFile()).readOutput(true)
                .timeout(60, TimeUnit.SECONDS).execute();
    }

    private static String serviceLog(NodeFixture n, Partition p) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(n.config().instanceRoot().resolve("var/log").resolve(p.id()))) {
            for (Path f : files.filter(f -> f.getFileName().toString().contains("_mariadbd-")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private static boolean listening(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void exec(String... command) throws Exception {
        ProcessResult r = new ProcessExecutor().command(command).readOutput(true).timeout(30, TimeUnit.SECONDS).execute();
        assertThat(r.getExitValue()).as(String.join(" ", command) + ": " + r.outputUTF8()).isZero();
    }
}
