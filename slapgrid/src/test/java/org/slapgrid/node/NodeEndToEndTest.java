package org.slapgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.node.buildout.BuildoutProcess;
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.drain.Drain;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.CurrentUserAccounts;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.format.UnixAccounts;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.instance.SupervisedServices;
import org.slapgrid.node.promise.PromiseRunner;
import org.slapgrid.node.software.SoftwareInstaller;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.SupervisorLayout;
import org.slapgrid.node.supervisor.SupervisorSettings;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * The node's whole path with real parts: a real master over HTTP, a formatted node (real users
 * as root), a release built with the buildout engine in a child JVM, two instances converged
 * as their partitions' users under a real supervisord, their connection parameters at the
 * master, an unchanged re-run that touches nothing, a parameter change that re-converges one
 * instance only, and a destruction that frees the partition.
 */
class NodeEndToEndTest {

    private static final String NODE = "node-e2e";
    private static final String USER_PREFIX = "sge2e";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path tmp;

    private Master master;
    private SlapClient admin;
    private SlapClient node;
    private Supervisor supervisor;
    private NodeConfig config;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/supervisord")) || "true".equals(System.getenv("CI")),
                "needs Debian's supervisor package (installed by .ci/run)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        MasterConfig mc = MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0)
                .withAuthCacheTtl(Duration.ZERO).withRecheckInterval(Duration.ofMillis(200));
        master = Master.start(mc);
        admin = SlapClient.builder(master.url()).token(Files.readString(mc.adminTokenFile()).strip())
                .timeout(Duration.ofSeconds(20)).build();
        var credentials = admin.registerNode(NODE, List.of());
        node = SlapClient.builder(master.url()).token(credentials.secret()).timeout(Duration.ofSeconds(20)).build();
        config = new NodeConfig(null, master.url().toString(), NODE, tmp.resolve("node.secret"), tmp.resolve("opt"),
                tmp.resolve("srv"), 2, "127.1.0.0/16", Duration.ofDays(1), Duration.ofMinutes(5), 2, ROOT);
        supervisor = new Supervisor(SupervisorSettings.defaults(SupervisorLayout.under(tmp.resolve("srv/sup")), NODE));
    }

    @AfterEach
    void stop() throws Exception {
        if (supervisor != null) {
            supervisor.shutdown();
        }
        if (master != null) {
            master.close();
        }
        if (ROOT) {
            for (int i = 0; i < 2; i++) {
                new ProcessExecutor().command("userdel", USER_PREFIX + i).timeout(30, TimeUnit.SECONDS).execute();
            }
        }
    }

    @Test
    void twoInstancesConvergePublishStayIsolatedAndAreDestroyed() throws Exception {
        // format, and tell the master
        var accounts = ROOT ? new UnixAccounts(USER_PREFIX) : new CurrentUserAccounts();
        List<Partition> partitions = new NodeFormatter(config, accounts).format().partitions();
        node.reportFormat(NODE, partitions.stream().map(Partition::id).toList());

        // supply and build the release
        Path release = copyRelease();
        String url = release.resolve("software.cfg").toString();
        admin.supply(url, NODE, SupplyState.AVAILABLE);
        NodeRuntime runtime = ROOT ? NodeRuntime.current().readableCopy(config.stateDirectory().resolve("lib"))
                : NodeRuntime.current();
        PartitionExecutor executor = new PartitionExecutor();
        BuildoutProcess buildout = new BuildoutProcess(runtime, executor);
        RunAs builder = ROOT ? new RunAs("nobody", config.softwareRoot()) : RunAs.currentUser(config.softwareRoot());
        SoftwareInstaller software = new SoftwareInstaller(config, node, buildout, builder, Duration.ofMinutes(5), log::add);

        assertThat(software.install(node.nodeInfo(NODE).software(), false))
                .singleElement().satisfies(o -> assertThat(o.kind()).as(String.join("\n", log)).isEqualTo(SoftwareOutcome.Kind.BUILT));
        assertThat(software.directoryOf(url).resolve("instance.cfg")).exists();
        assertThat(software.install(node.nodeInfo(NODE).software(), false))
                .singleElement().satisfies(o -> assertThat(o.kind()).isEqualTo(SoftwareOutcome.Kind.ALREADY_BUILT));

        // two instances with different parameters
        admin.request(request("web-a", url, Map.of("greeting", "hello from a")));
        admin.request(request("web-b", url, Map.of("greeting", "hello from b")));
        InstanceConverger converger = new InstanceConverger(config, node, new SupervisedServices(supervisor), buildout,
                PromiseRunner.withOwnPool(Duration.ofSeconds(5)), new Drain(executor), executor, Clock.systemUTC(), log::add);

        // The services need a moment to listen: the first run may find the promise broken, the next converges.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<PartitionOutcome> outcomes = converger.converge(node.nodeInfo(NODE), partitions, InstanceConverger.Selection.all());
            assertThat(outcomes).as(String.join("\n", log)).hasSize(2).extracting(PartitionOutcome::kind)
                    .allSatisfy(k -> assertThat(k).isIn(PartitionOutcome.Kind.CONVERGED, PartitionOutcome.Kind.SKIPPED));
        });

        Instance a = admin.info("web-a");
        Instance b = admin.info("web-b");
        assertThat(a.reportedState()).isEqualTo(InstanceState.STARTED);
        assertThat(a.partition()).isNotEqualTo(b.partition());
        String urlA = (String) a.connectionParameters().get("url");
        String urlB = (String) b.connectionParameters().get("url");
        assertThat(urlA).matches("http://127\\.1\\.0\\.[12]:8080/");
        assertThat(urlB).matches("http://127\\.1\\.0\\.[12]:8080/").isNotEqualTo(urlA);
        assertThat(get(urlA)).isEqualTo("hello from a");
        assertThat(get(urlB)).isEqualTo("hello from b");

        Partition pa = partitions.stream().filter(p -> p.id().equals(a.partition())).findFirst().orElseThrow();
        Partition pb = partitions.stream().filter(p -> p.id().equals(b.partition())).findFirst().orElseThrow();
        if (ROOT) {
            var denied = new ProcessExecutor().command("runuser", "-u", pa.user(), "--", "cat",
                    pb.directory().resolve("srv/www/index.html").toString()).readOutput(true).timeout(30, TimeUnit.SECONDS).execute();
            assertThat(denied.getExitValue()).as("a partition's user cannot read another partition").isNotZero();
        }

        // nothing changed: every partition skipped, no file touched
        Map<Path, FileTime> before = mtimes(pa.directory(), pb.directory());
        assertThat(converger.converge(node.nodeInfo(NODE), partitions, InstanceConverger.Selection.all()))
                .extracting(PartitionOutcome::kind).containsOnly(PartitionOutcome.Kind.SKIPPED);
        assertThat(mtimes(pa.directory(), pb.directory())).isEqualTo(before);

        // a parameter change re-converges that instance only
        admin.request(request("web-b", url, Map.of("greeting", "b, updated")));
        List<PartitionOutcome> afterChange = converger.converge(node.nodeInfo(NODE), partitions, InstanceConverger.Selection.all());
        assertThat(afterChange).filteredOn(o -> o.partition().equals(pa.id())).extracting(PartitionOutcome::kind)
                .containsExactly(PartitionOutcome.Kind.SKIPPED);
        assertThat(afterChange).filteredOn(o -> o.partition().equals(pb.id())).extracting(PartitionOutcome::kind)
                .containsExactly(PartitionOutcome.Kind.CONVERGED);
        assertThat(get(urlB)).isEqualTo("b, updated");

        // destruction runs the drain, empties the partition and frees it at the master
        admin.remove("web-a");
        assertThat(converger.converge(node.nodeInfo(NODE), partitions, InstanceConverger.Selection.all()))
                .filteredOn(o -> o.partition().equals(pa.id())).extracting(PartitionOutcome::kind)
                .containsExactly(PartitionOutcome.Kind.DESTROYED);
        try (Stream<Path> left = Files.list(pa.directory())) {
            assertThat(left).isEmpty();
        }
        assertThat(pa.directory()).isDirectory();
        assertThat(node.nodeInfo(NODE).partitions()).filteredOn(p -> p.id().equals(pa.id()))
                .allSatisfy(p -> assertThat(p.instance()).isNull());
        assertThat(get(urlB)).isEqualTo("b, updated");
    }

    private InstanceRequest request(String name, String url, Map<String, Object> parameters) {
        return new InstanceRequest(name, url, "default", parameters, RequestedState.STARTED, false, Map.of("node", NODE));
    }

    private Path copyRelease() throws IOException {
        Path dir = tmp.resolve("release");
        Files.createDirectories(dir);
        for (String f : List.of("software.cfg", "instance.cfg.in")) {
            try (var in = getClass().getResourceAsStream("/e2e-release/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "index.html"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body().strip();
    }

    private static Map<Path, FileTime> mtimes(Path... dirs) throws IOException {
        Map<Path, FileTime> out = new TreeMap<>();
        for (Path d : dirs) {
            try (Stream<Path> walk = Files.walk(d)) {
                for (Path p : walk.filter(p -> !p.toString().contains("/var/log/")).toList()) {
                    out.put(p, Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
                }
            }
        }
        return out;
    }
}
