package org.slapgrid.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Main;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;
import org.slapgrid.testing.Require;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Issue 15: {@code slapos node stop|start [PARTITION] --tags EXPR} as a user types it, on a real
 * node (registered, formatted, its release built and its instance converged by the CLI; its own
 * supervisord): a malformed expression exits 2 naming the expression and the position; the stop
 * stops exactly the selected service, {@code slapos node status} shows it stopped on purpose by
 * this node, a forced convergence ({@code slapos node instance --force}) keeps it stopped, and
 * the start brings it back.
 */
class NodeStopByTagCommandTest {
    private static final String PREFIX = "sgntc";
    /** The release: it renders the instance profile written next to it. */
    private static final String SOFTWARE = """
            [buildout]
            parts = instance-profile

            [instance-profile]
            recipe = slapos.recipe.template:jinja2
            url = ${:_profile_base_location_}/instance.cfg.in
            output = ${buildout:directory}/instance.cfg
            """;

    @TempDir
    Path tmp;
    private Master master;
    private NodeConfig config;

    @AfterEach
    void stop() throws Exception {
        if (config != null) {
            Node node = Node.open(config, line -> { });
            node.supervisor().shutdown();
            node.limits().cgroups().releaseAll();
            node.addresses().remove();
            new ProcessExecutor().command("userdel", PREFIX + "0").timeout(30, TimeUnit.SECONDS).execute();
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String name = line.substring(0, Math.max(0, line.indexOf(':')));
                if (name.startsWith(config.buildUserPrefix()) && name.length() == 32) {
                    new ProcessExecutor().command("userdel", name).timeout(30, TimeUnit.SECONDS).execute();
                }
            }
        }
        if (master != null) {
            master.close();
        }
    }

    /** {@code slapos ARGS --config CFG}: exit status, stdout and stderr. */
    private record Run(int code, String out, String err) {
    }

    private Run slapos(Path cfg, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--config",
                    cfg.toString())).toArray(String[]::new);
            return new Run(Main.run(all), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void stopAndStartByTagThroughTheCommandLine() throws Exception {
        Require.root("partition users are real Unix users");
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        MasterConfig mc = MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO);
        master = Master.start(mc);
        Path dir = Files.createDirectories(tmp.resolve("node"));
        Path cfg = dir.resolve("etc/slapos.cfg");
        assertThat(Main.run("node", "register", "--config", cfg.toString(), "--master", master.url().toString(),
                "--node-id", "ntc", "--token-file", mc.adminTokenFile().toString(), "--partitions", "1",
                "--instance-root", dir.resolve("srv").toString(), "--software-root", dir.resolve("opt").toString(),
                "--ipv4-network", "127.73.0.0/16", "--user-base-name", PREFIX)).isZero();
        assertThat(slapos(cfg, "node", "format").code()).isZero();
        config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg);

        Path release = Files.createDirectories(tmp.resolve("pods"));
        Files.writeString(release.resolve("software.cfg"), SOFTWARE);
        Files.writeString(release.resolve("instance.cfg.in"), "[buildout]\nparts = directory pod01-sm pod01-db\n\n"
                + "[directory]\nrecipe = slapos.cookbook:mkdirectory\nservice = ${buildout:directory}/etc/service\n"
                + service("pod01-sm", "sm pod01") + service("pod01-db", "db pod01"));
        Files.setPosixFilePermissions(release, PosixFilePermissions.fromString("rwxr-xr-x"));
        String url = release.resolve("software.cfg").toString();
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(mc.adminTokenFile()).strip()).build();
        admin.supply(url, "ntc", SupplyState.AVAILABLE);
        assertThat(slapos(cfg, "node", "software")).extracting(Run::code).isEqualTo(ExitCode.OK);
        admin.request(new InstanceRequest("pods", url, "default", Map.of(), RequestedState.STARTED, false, Map.of("node", "ntc")));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Run r = slapos(cfg, "node", "instance", "--no-daemon");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(slapos(cfg, "node", "status").out()).containsPattern("pod01-sm +RUNNING").containsPattern("pod01-db +RUNNING");
        });

        // bad input: exit 2, naming the expression and where it is wrong; nothing stopped, nothing kept
        Run bad = slapos(cfg, "node", "stop", "slappart0", "--tags", "sm+,db");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("'sm+,db'").contains("position 4").contains("empty tag");
        Run bad2 = slapos(cfg, "node", "start", "--tags", "db+p$d");
        assertThat(bad2.code()).isEqualTo(ExitCode.USAGE);
        assertThat(bad2.err()).contains("'db+p$d'").contains("position 4").contains("'p$d' is not a tag");
        assertThat(slapos(cfg, "node", "status").out()).containsPattern("pod01-sm +RUNNING");

        // the stop: exactly the spider, kept by this node
        Run stop = slapos(cfg, "node", "stop", "slappart0", "--tags", "sm");
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("slappart0: services --tags sm kept stopped by this node").contains("slappart0_pod01-sm: stopped")
                .doesNotContain("pod01-db: stopped");
        String status = slapos(cfg, "node", "status").out();
        assertThat(status).contains("stopped on purpose (by this node)").containsPattern("pod01-db +RUNNING");

        // a forced convergence (every buildout again) keeps it stopped
        Run forced = slapos(cfg, "node", "instance", "--force", "--no-daemon");
        assertThat(forced.code()).as(forced.out() + forced.err()).isZero();
        status = slapos(cfg, "node", "status").out();
        assertThat(status).as(forced.out()).contains("stopped on purpose (by this node)").containsPattern("pod01-db +RUNNING")
                .doesNotContainPattern("pod01-sm +RUNNING");

        // the start brings it back, and no rule is left
        Run start = slapos(cfg, "node", "start", "slappart0", "--tags", "sm");
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(start.out()).contains("no longer kept stopped by this node");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(slapos(cfg, "node", "status").out()).containsPattern("pod01-sm +RUNNING").doesNotContain("stopped on purpose"));
        assertThat(slapos(cfg, "node", "instance", "--force", "--no-daemon").code()).isZero();
        assertThat(slapos(cfg, "node", "status").out()).containsPattern("pod01-sm +RUNNING");
    }

    private static String service(String name, String tags) {
        return "\n[" + name + "]\nrecipe = slapos.cookbook:wrapper\ncommand-line = sleep 3600\nwrapper-path = ${directory:service}/"
                + name + "\ntags = " + tags + "\n";
    }
}
