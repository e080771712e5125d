package org.slapgrid.node.buildout;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;

/**
 * What a partition's buildout child JVM loads, with its class loading logged: every changed
 * partition starts one, so its fixed cost is the classes it loads. On the node's warm-up profile
 * (slapconfiguration reading a real instance file, mkdirectory, jinja2, wrapper, publish), run as
 * the node runs it (with {@code --master}), first install (which publishes) and unchanged re-run:
 * no jackson-databind (instance.json and the recipes' JSON go through jackson-core's streaming
 * API), no java.net.http client (the publish is one HttpURLConnection call), no Caffeine or
 * java.util.logging (the template cache is a plain map), no schema validator or master code.
 */
class BuildoutChildStartupTest {

    /** Packages the child must not load on this profile. */
    static final List<String> HEAVY = List.of("com.fasterxml.jackson.databind.", "java.net.http.", "jdk.internal.net.http.",
            "com.github.benmanes.caffeine.", "java.util.logging.", "com.networknt.", "org.slapgrid.master.",
            "com.hubspot.jinjava.", "org.eclipse.jgit.", "org.apache.commons.compress.", "picocli.", "org.slapgrid.cli.",
            "org.slf4j.");

    @TempDir
    Path tmp;

    private final List<String> published = new CopyOnWriteArrayList<>();
    private HttpServer master;

    @AfterEach
    void stop() {
        if (master != null) {
            master.stop(0);
        }
    }

    @Test
    void theChildLoadsNoDatabindNoHttpClientNorOtherHeavyMachinery() throws Exception {
        master = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        master.createContext("/", exchange -> {
            try (exchange) {
                published.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        master.start();
        Path profile = ClassDataArchive.writeWarmUp(tmp);
        Files.writeString(tmp.resolve("secret"), "s");
        List<String> args = List.of("--master", "http://127.0.0.1:" + master.getAddress().getPort(),
                "--secret-file", tmp.resolve("secret").toString(), "--instance-file", tmp.resolve("instance.json").toString());
        Path dir = Files.createDirectories(tmp.resolve("part"));
        BuildoutProcess process = new BuildoutProcess(NodeRuntime.current(), new PartitionExecutor());

        List<String> install = loaded(process, profile, dir, args, "install");
        assertThat(dir.resolve("etc/greeting")).as("the instance file's parameter reaches the template").hasContent("hello 01");
        assertThat(published).containsExactly("PUT /api/v1/instance/connection {\"parameters\":{\"greeting\":\"hello\"}}");
        List<String> rerun = loaded(process, profile, dir, args, "rerun");
        assertThat(published).as("an unchanged publish part publishes nothing again").hasSize(1);

        for (List<String> classes : List.of(install, rerun)) {
            assertThat(classes).as("the child runs (class loading was logged)")
                    .contains("org.slapgrid.node.buildout.BuildoutMain", "org.slapgrid.recipes.slap.InstanceFile");
            assertThat(classes.stream().filter(c -> HEAVY.stream().anyMatch(c::startsWith)).toList())
                    .as("heavy classes in the buildout child").isEmpty();
        }
    }

    private List<String> loaded(BuildoutProcess process, Path profile, Path dir, List<String> args, String name) throws Exception {
        List<String> cmd = new ArrayList<>(process.command(profile, dir, args));
        Path log = tmp.resolve(name + "-classes.log");
        cmd.add(1, "-Xlog:class+load=info:file=" + log);
        ExecResult r = new PartitionExecutor().run(cmd, RunAs.currentUser(dir), Map.of(), Duration.ofMinutes(2));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return Files.readAllLines(log).stream()
                .map(l -> l.replaceFirst("^(\\[[^]]*\\])+ *", "").replaceFirst(" .*", ""))
                .toList();
    }
}
