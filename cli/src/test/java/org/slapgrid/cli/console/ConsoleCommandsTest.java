package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Main;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.SlapClient;

/** The console verbs against a real master on 127.0.0.1, through Main.run as a user would type them. */
class ConsoleCommandsTest extends ConsoleTest {
    static final String SR = "https://example.org/sr/software.cfg";

    SlapClient node;

    @BeforeEach
    void registerNode() {
        SlapClient admin = SlapClient.builder(master.url()).token(read(tokenFile)).build();
        node = SlapClient.builder(master.url()).token(admin.registerNode("n1", List.of("slappart0", "slappart1")).secret()).build();
    }

    @Test
    void supplyRequestListInfoRemove() throws Exception {
        assertThat(slapos("supply", SR, "n1")).isZero();
        assertThat(takeOut()).contains("supplied " + SR + " to n1");
        Path params = tmp.resolve("p.json");
        Files.writeString(params, "{\"size\": \"10\", \"replicas\": 2}");
        assertThat(slapos("request", "web", SR, "--type", "frontend", "--param", "port=8080", "--params-file", params.toString())).isZero();
        String shown = takeOut();
        assertThat(shown).contains("parameter.port").contains("8080").contains("parameter.replicas").contains("frontend")
                .contains("n1/slappart0");

        assertThat(slapos("list")).isZero();
        String table = takeOut();
        assertThat(table.lines().findFirst().orElseThrow()).startsWith("NAME").contains("STATE").contains("PARTITION");
        assertThat(table).contains("web").contains("started (not reported)");

        assertThat(slapos("list", "--json")).isZero();
        JsonNode list = new ObjectMapper().readTree(takeOut());
        assertThat(list.isArray()).isTrue();
        assertThat(list.get(0).get("name").asText()).isEqualTo("web");
        assertThat(list.get(0).get("parameters").get("replicas").asInt()).isEqualTo(2);

        node.publishConnection("n1", "slappart0", Map.of("url", "http://10.0.0.1:8080"));
        assertThat(slapos("info", "web")).isZero();
        assertThat(takeOut()).contains("connection.url").contains("http://10.0.0.1:8080").doesNotContain("service.");
        node.reportStatus("n1", "slappart0", new org.slapgrid.slap.model.PartitionStatus(
                java.util.List.of(new org.slapgrid.slap.model.PartitionStatus.Service("slappart0_http", "RUNNING", 4242,
                        java.time.Instant.now().getEpochSecond() - 125, 3)),
                java.util.List.of(new org.slapgrid.slap.model.PartitionStatus.Promise("listening", false, "refused\n")),
                "promise listening broken", null));
        assertThat(slapos("info", "web")).isZero();
        assertThat(takeOut()).as("the status tree its node reported").contains("service.slappart0_http")
                .contains("RUNNING pid 4242, up 2m").contains("3 restarts").contains("promise.listening").contains("broken: refused")
                .contains("last-error").contains("promise listening broken");
        assertThat(slapos("info", "web", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(takeOut()).get("status").get("services").get(0).get("pid").asInt()).isEqualTo(4242);

        assertThat(slapos("remove", "web")).isZero();
        assertThat(takeOut()).contains("destruction of web requested");
        assertThat(slapos("info", "web", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(takeOut()).get("requestedState").asText()).isEqualTo("destroyed");
    }

    @Test
    void refusalsGiveAMessageAndAnExitStatus() {
        assertThat(slapos("info", "nothing")).isEqualTo(ExitCode.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no instance named 'nothing'").contains("unknown_instance");
        assertThat(slapos("request", "x", SR, "--state", "sleeping")).isEqualTo(ExitCode.USAGE);
        assertThat(slapos("request", "x", SR)).as("release not supplied").isEqualTo(ExitCode.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown_release");
        assertThat(Main.run("list", "--master-url", master.url().toString(), "--token-file", tmp.resolve("missing").toString()))
                .isEqualTo(ExitCode.USAGE);
        assertThat(Main.run("list", "--master-url", "ftp://x", "--token-file", tokenFile.toString())).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void clientConfigFileGivesTheMasterAndToken() throws Exception {
        Path cfg = tmp.resolve("client.cfg");
        Files.writeString(cfg, "# the console's settings\n[slapconsole]\nmaster_url = " + master.url() + "\ntoken_file = " + tokenFile + "\n");
        assertThat(Main.run("supply", SR, "n1", "--config", cfg.toString())).isZero();
        assertThat(Main.run("list", "--config", cfg.toString())).isZero();
        Files.writeString(cfg, "[slapconsole]\nmaster_url\n");
        assertThat(Main.run("list", "--config", cfg.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(cfg + ":2");
    }

    @Test
    void requestWaitPrintsConnectionParametersOnceTheyArrive() {
        assertThat(slapos("supply", SR, "n1")).isZero();
        takeOut();
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> slapos("request", "db", SR, "--wait", "--timeout", "60"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !node.nodeInfo("n1").partitions().stream()
                .allMatch(p -> p.instance() == null));
        node.publishConnection("n1", "slappart0", Map.of("password", "s3cret", "url", "postgresql://10.0.0.1"));
        long first = node.nodeInfo("n1").partitions().get(0).instance().timestamp();
        node.reportInstance("n1", "slappart0", InstanceState.STARTED, "", first); // as a node does once converged
        await().atMost(Duration.ofSeconds(20)).until(waiting::isDone);
        assertThat(waiting.join()).isZero();
        assertThat(takeOut()).contains("PARAMETER").contains("postgresql://10.0.0.1").contains("s3cret");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("waiting for db");

        // an update waits until the node has applied it, not merely for the old parameters
        CompletableFuture<Integer> update = CompletableFuture.supplyAsync(() ->
                slapos("request", "db", SR, "--param", "size=2", "--wait", "--timeout", "60"));
        await().atMost(Duration.ofSeconds(20)).until(() -> node.nodeInfo("n1").partitions().get(0).instance().timestamp() > first);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> !update.isDone());
        long second = node.nodeInfo("n1").partitions().get(0).instance().timestamp();
        node.reportInstance("n1", "slappart0", InstanceState.STARTED, "", second);
        await().atMost(Duration.ofSeconds(20)).until(update::isDone);
        assertThat(update.join()).isZero();

        // an error reported on the awaited version ends the wait with the node's message
        CompletableFuture<Integer> failing = CompletableFuture.supplyAsync(() ->
                slapos("request", "db", SR, "--param", "size=3", "--wait", "--timeout", "60"));
        await().atMost(Duration.ofSeconds(20)).until(() -> node.nodeInfo("n1").partitions().get(0).instance().timestamp() > second);
        long third = node.nodeInfo("n1").partitions().get(0).instance().timestamp();
        node.reportInstance("n1", "slappart0", InstanceState.ERROR, "disk full", third);
        await().atMost(Duration.ofSeconds(20)).until(failing::isDone);
        assertThat(failing.join()).isEqualTo(ExitCode.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("failed on its node").contains("disk full");
    }

    @Test
    void theInteractiveConsoleRunsTheSameVerbs() throws Exception {
        assertThat(slapos("supply", SR, "n1")).isZero();
        ConsoleCommand console = new ConsoleCommand();
        console.options.masterUrl = master.url().toString();
        console.options.tokenFile = tokenFile;
        console.history = tmp.resolve("history");
        console.in = new ByteArrayInputStream("request shell-made \"https://example.org/sr/software.cfg\" --param a=1\nlist\ninfo nope\ntoken list\ntoken\nexit\n"
                .getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        console.out = screen;
        assertThat(console.call()).isZero();
        String text = screen.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("parameter.a").contains("shell-made").contains("NAME").contains("(exit status 1)")
                .contains("SUBJECT");
        // A group without its verb prints its usage on the console's screen, not on the process's stdout.
        assertThat(text).contains("login-link");
        assertThat(stdout()).doesNotContain("login-link");
        assertThat(read(console.history)).contains("list").contains("info nope");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
