package org.slapgrid.node.releases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.SupplyState;
import org.slapgrid.testing.Require;

/**
 * The Jetty release ({@code software-releases/jetty}) on a whole node with real parts:
 * jetty-home downloaded from Maven Central and checked against its SHA-256 (a wrong checksum
 * fails the build), unpacked into the release, run as a partition's service under a real
 * supervisord, its URL answering on the partition's own address.
 */
class JettyReleaseTest {

    @TempDir
    Path tmp;

    @Test
    void buildsFromMavenCentralAndServesItsUrlOnThePartitionsAddress() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run; required when CI=true)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-jetty", "sgjetty", 1)) {
            String url = ReleaseTrees.copy("jetty", tmp.resolve("repo")).toString();
            Path tampered = Files.createDirectories(tmp.resolve("repo/software-releases/jetty-tampered")).resolve("software.cfg");
            Files.writeString(tampered, "[buildout]\nextends = ../jetty/software.cfg\n\n[jetty-home]\nsha256 = "
                    + "0".repeat(64) + "\n");
            n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
            n.admin().supply(tampered.toString(), n.nodeId(), SupplyState.AVAILABLE);
            assertThat(n.software().install(n.node().nodeInfo(n.nodeId()).software(), false)).as(n.log())
                    .extracting(SoftwareOutcome::url, SoftwareOutcome::kind)
                    .containsExactlyInAnyOrder(tuple(url, SoftwareOutcome.Kind.BUILT),
                            tuple(tampered.toString(), SoftwareOutcome.Kind.FAILED));
            assertThat(n.node().nodeInfo(n.nodeId()).software()).filteredOn(s -> s.url().equals(tampered.toString()))
                    .singleElement().satisfies(s -> assertThat(s.errorLog()).containsIgnoringCase("sha256"));
            assertThat(n.software().directoryOf(url).resolve("parts/jetty-home/start.jar")).isRegularFile();

            n.admin().request(n.request("web", url, Map.of("port", 8088, "greeting", "hello from jetty")));
            n.convergeUntilSettled(Duration.ofMinutes(3));

            Instance web = n.admin().info("web");
            Partition p = n.partition(web.partition());
            assertThat(web.reportedState()).isEqualTo(InstanceState.STARTED);
            String published = (String) web.connectionParameters().get("url");
            assertThat(published).isEqualTo("http://" + p.ipv4() + ":8088/");
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(published))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body().strip()).isEqualTo("hello from jetty");
            assertThat(page.headers().firstValue("server")).hasValueSatisfying(s -> assertThat(s).startsWith("Jetty(12."));
        }
    }
}
