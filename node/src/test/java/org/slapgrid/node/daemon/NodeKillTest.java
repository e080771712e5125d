package org.slapgrid.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.node.software.ReleaseCopy;
import org.slapgrid.testing.Require;

/**
 * A node killed with SIGKILL at random moments of a forced run (its buildout child may go on
 * alone, as it would in production) is repaired by the next run: the instance converges and
 * serves again.
 */
class NodeKillTest {

    @TempDir
    Path tmp;

    @Test
    void aKillNineAtAnyMomentIsRepairedByTheNextRun() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run)");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (NodeFixture n = NodeFixture.start(tmp, "node-kill", "sgkill", 1)) {
            String url = ReleaseCopy.of(Path.of("..").toAbsolutePath().normalize(), "hello", tmp.resolve("repo")).toString();
            n.supplyAndBuild(url);
            n.admin().request(n.request("web", url, Map.of("greeting", "v0")));
            n.convergeUntilSettled(Duration.ofSeconds(90));
            Path cfg = n.writeConfigFile();
            NodeRuntime rt = NodeRuntime.current();

            for (int round = 1; round <= 4; round++) {
                // each round changes the greeting, so the killed run was rewriting things
                n.admin().request(n.request("web", url, Map.of("greeting", "v" + round)));
                Process node = new ProcessBuilder(rt.java().toString(), "-cp", rt.classpathString(), DaemonChild.class.getName(),
                        cfg.toString(), "once").redirectErrorStream(true).redirectOutput(tmp.resolve("run" + round + ".log").toFile())
                        .start();
                long killAfter = random.nextInt(3000);
                if (!node.waitFor(killAfter, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    node.destroyForcibly().waitFor();
                }
            }
            n.convergeUntilSettled(Duration.ofSeconds(120));
            String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    n.admin().info("web").connectionParameters().get("url") + "index.html")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body().strip();
            assertThat(page).as("seed " + seed).isEqualTo("v4");
        }
    }
}
