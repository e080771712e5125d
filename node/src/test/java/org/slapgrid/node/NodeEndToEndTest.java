package org.slapgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.software.ReleaseCopy;
import org.slapgrid.node.software.ReleasePlace;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.SupplyState;
import org.zeroturnaround.exec.ProcessExecutor;
import org.slapgrid.testing.Require;

/**
 * The node's whole path with real parts: a real master over HTTP, a formatted node (real users
 * as root), a release built with the buildout engine in a child JVM, two instances converged
 * as their partitions' users under a real supervisord, their connection parameters at the
 * master, an unchanged re-run that touches nothing, a parameter change that re-converges one
 * instance only, and a destruction that frees the partition.
 */
class NodeEndToEndTest {

    /** Maven runs the tests with the module as working directory. */
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void twoInstancesConvergePublishStayIsolatedAndAreDestroyed() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-e2e", "sge2e", 2)) {
            // The release shipped in software-releases/hello, as users get it.
            String url = ReleaseCopy.of(REPOSITORY, "hello", tmp.resolve("repo")).toString();
            n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
            assertThat(n.software().install(n.node().nodeInfo(n.nodeId()).software(), false))
                    .singleElement().satisfies(o -> assertThat(o.kind()).as(n.log()).isEqualTo(SoftwareOutcome.Kind.BUILT));
            assertThat(n.software().directoryOf(url).resolve("instance.cfg")).exists();
            assertThat(n.software().install(n.node().nodeInfo(n.nodeId()).software(), false))
                    .singleElement().satisfies(o -> assertThat(o.kind()).isEqualTo(SoftwareOutcome.Kind.ALREADY_BUILT));

            n.admin().request(n.request("web-a", url, Map.of("greeting", "hello from a")));
            n.admin().request(n.request("web-b", url, Map.of("greeting", "hello from b")));
            n.convergeUntilSettled(Duration.ofSeconds(90));

            Instance a = n.admin().info("web-a");
            Instance b = n.admin().info("web-b");
            assertThat(a.reportedState()).isEqualTo(InstanceState.STARTED);
            assertThat(a.partition()).isNotEqualTo(b.partition());
            String urlA = (String) a.connectionParameters().get("url");
            String urlB = (String) b.connectionParameters().get("url");
            assertThat(urlA).matches("http://127\\.\\d+\\.0\\.[12]:8080/");
            assertThat(urlB).matches("http://127\\.\\d+\\.0\\.[12]:8080/").isNotEqualTo(urlA);
            assertThat(get(urlA)).isEqualTo("hello from a");
            assertThat(get(urlB)).isEqualTo("hello from b");

            Partition pa = n.partition(a.partition());
            Partition pb = n.partition(b.partition());
            if (NodeFixture.ROOT) {
                var denied = new ProcessExecutor().command("runuser", "-u", pa.user(), "--", "cat",
                        pb.directory().resolve("srv/www/index.html").toString()).readOutput(true)
                        .timeout(30, TimeUnit.SECONDS).execute();
                assertThat(denied.getExitValue()).as("a partition's user cannot read another partition").isNotZero();
            }

            // nothing changed: every partition skipped, no file touched
            Map<Path, FileTime> before = mtimes(pa.directory(), pb.directory());
            assertThat(n.converge()).extracting(PartitionOutcome::kind).containsOnly(PartitionOutcome.Kind.SKIPPED);
            assertThat(mtimes(pa.directory(), pb.directory())).isEqualTo(before);

            // a parameter change re-converges that instance only
            n.admin().request(n.request("web-b", url, Map.of("greeting", "b, updated")));
            List<PartitionOutcome> afterChange = n.converge();
            assertThat(afterChange).filteredOn(o -> o.partition().equals(pa.id())).extracting(PartitionOutcome::kind)
                    .containsExactly(PartitionOutcome.Kind.SKIPPED);
            assertThat(afterChange).filteredOn(o -> o.partition().equals(pb.id())).extracting(PartitionOutcome::kind)
                    .containsExactly(PartitionOutcome.Kind.CONVERGED);
            assertThat(get(urlB)).isEqualTo("b, updated");
            Instance updated = n.admin().info("web-b");
            assertThat(updated.reportedTimestamp()).as("the node reported on this very version").isEqualTo(updated.timestamp());

            // destruction empties the partition and frees it at the master
            n.admin().remove("web-a");
            assertThat(n.converge()).filteredOn(o -> o.partition().equals(pa.id())).extracting(PartitionOutcome::kind)
                    .containsExactly(PartitionOutcome.Kind.DESTROYED);
            try (Stream<Path> left = Files.list(pa.directory())) {
                assertThat(left).isEmpty();
            }
            assertThat(pa.directory()).isDirectory();
            assertThat(n.node().nodeInfo(n.nodeId()).partitions()).filteredOn(p -> p.id().equals(pa.id()))
                    .singleElement().satisfies(p -> assertThat(p.instance()).isNull());
            assertThat(get(urlB)).isEqualTo("b, updated");
        }
    }

    @Test
    void aFailingProfileIsReportedAndTouchesNoOtherPartitionAndADestroyedReleaseIsRemoved() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-fail", "sgfail", 2)) {
            String hello = ReleaseCopy.of(REPOSITORY, "hello", tmp.resolve("repo")).toString();
            Path broken = Files.createDirectories(tmp.resolve("broken"));
            Files.writeString(broken.resolve("software.cfg"), "[buildout]\nparts = instance-profile\n\n[instance-profile]\n"
                    + "recipe = slapos.recipe.template:jinja2\nurl = ${:_profile_base_location_}/instance.cfg.in\n"
                    + "output = ${buildout:directory}/instance.cfg\n");
            Files.writeString(broken.resolve("instance.cfg.in"), "[buildout]\nparts = fail\n\n[fail]\n"
                    + "recipe = plone.recipe.command\ncommand = echo 'cannot start: the disk is full' >&2; exit 1\n"
                    + "stop-on-error = true\n");
            String brokenUrl = broken.resolve("software.cfg").toString();
            n.supplyAndBuild(hello);
            n.supplyAndBuild(brokenUrl);
            n.admin().request(n.request("good", hello, Map.of("greeting", "still fine")));
            n.admin().request(n.request("bad", brokenUrl, Map.of()));

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(n.converge()).extracting(PartitionOutcome::kind)
                            .containsExactlyInAnyOrder(PartitionOutcome.Kind.FAILED,
                                    n.admin().info("good").reportedState() == InstanceState.STARTED
                                            ? PartitionOutcome.Kind.SKIPPED : PartitionOutcome.Kind.CONVERGED));
            Instance bad = n.admin().info("bad");
            assertThat(bad.reportedState()).isEqualTo(InstanceState.ERROR);
            assertThat(bad.errorLog()).contains("cannot start: the disk is full");
            Instance good = n.admin().info("good");
            assertThat(get((String) good.connectionParameters().get("url"))).isEqualTo("still fine");

            // the failing partition is retried on every run; the good one is not touched
            Partition goodPartition = n.partition(good.partition());
            Map<Path, FileTime> before = mtimes(goodPartition.directory());
            assertThat(n.converge()).filteredOn(o -> o.partition().equals(bad.partition())).extracting(PartitionOutcome::kind)
                    .containsExactly(PartitionOutcome.Kind.FAILED);
            assertThat(mtimes(goodPartition.directory())).isEqualTo(before);

            // a release the master marks destroyed is removed from the node
            n.admin().remove("bad");
            n.converge();
            n.admin().supply(brokenUrl, n.nodeId(), SupplyState.DESTROYED);
            assertThat(n.software().install(n.node().nodeInfo(n.nodeId()).software(), false))
                    .filteredOn(o -> o.url().equals(brokenUrl)).extracting(SoftwareOutcome::kind)
                    .containsExactly(SoftwareOutcome.Kind.REMOVED);
            assertThat(n.software().directoryOf(brokenUrl)).doesNotExist();
            assertThat(ReleasePlace.of(n.config(), hello).built()).isTrue();
        }
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
