package org.slapgrid.buildout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.slapgrid.buildout.Profiles.resolve;
import static org.slapgrid.buildout.Profiles.write;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.buildout.spi.BuildoutException;

import com.sun.net.httpserver.HttpServer;

class ExtendsTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, String> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String body = served.get(exchange.getRequestURI().getPath());
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void aDiamondReappliesTheSecondInclusion() {
        write(dir, "base.cfg", "[s]\no = base\nl = b1\n");
        write(dir, "x.cfg", "[buildout]\nextends = base.cfg\n[s]\no = from-x\nl += x1\n");
        write(dir, "y.cfg", "[buildout]\nextends = base.cfg\n[s]\nl += y1\n");
        Path root = write(dir, "root.cfg", "[buildout]\nextends = x.cfg y.cfg\n");
        Map<String, String> s = resolve(root).get("s");
        assertThat(s).containsEntry("o", "base").containsEntry("l", "b1\ny1");
    }

    @Test
    void incrementsAccumulateAcrossSeveralExtends() {
        write(dir, "base.cfg", "[part1]\nrecipe = r\noption = a1 a2\n");
        write(dir, "extension1.cfg", "[buildout]\nextends = base.cfg\n[part1]\noption += a3 a4\n");
        write(dir, "extension2.cfg", "[buildout]\nextends = extension1.cfg\n[part1]\noption += a5\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = extension2.cfg\n");
        assertThat(resolve(root).get("part1")).containsEntry("option", "a1 a2\na3 a4\na5");
        String annotate = Buildout.builder(root).build().annotate();
        assertThat(annotate).contains("[part1]\n_profile_base_location_= " + dir + "\n    extension2.cfg\noption= a1 a2\na3 a4\na5\n    base.cfg\n+=  extension1.cfg\n+=  extension2.cfg\n"
                + "recipe= r\n    base.cfg\n");
    }

    @Test
    void addAndRemoveInOneFileApplyToTheBase() {
        write(dir, "base.cfg", "[s]\nl = d2\n  d3\n  d5\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = base.cfg\n[s]\nl += d1\n  d4\nl -= d5\n");
        assertThat(resolve(root).get("s")).containsEntry("l", "d2\nd3\nd1\nd4");
    }

    @Test
    void removalIsByWholeLine() {
        write(dir, "base.cfg", "[s]\nl = b1 b2 b3 b4\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = base.cfg\n[s]\nl -= b1 b2\n");
        assertThat(resolve(root).get("s")).containsEntry("l", "b1 b2 b3 b4");
    }

    @Test
    void anInitialIncrementWithoutBaseIsAPlainValue() {
        Path root = write(dir, "buildout.cfg", "[s]\na += x\nb -= y\nc = 1\nc += 2\n");
        assertThat(resolve(root).get("s")).containsEntry("a", "x").containsEntry("b", "").containsEntry("c", "1\n2")
                .doesNotContainKeys("a +", "b -", "c +");
    }

    @Test
    void relativeAbsoluteAndNestedExtendsApplyInOrder() {
        Path other = dir.resolve("other");
        write(other, "abs.cfg", "[s]\na = abs\nb = abs\nc = abs\n");
        write(dir, "sub/nested.cfg", "[buildout]\nextends = ../deeper/deep.cfg\n[s]\nb = nested\n");
        write(dir, "deeper/deep.cfg", "[s]\nd = deep\nb = deep\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends =\n  " + other.resolve("abs.cfg") + "\n  sub/nested.cfg\n[s]\nc = root\n");
        assertThat(resolve(root).get("s")).containsEntry("a", "abs").containsEntry("b", "nested")
                .containsEntry("c", "root").containsEntry("d", "deep");
    }

    @Test
    void profileBaseLocationIsTheFolderOfTheFileWhereTheTextIsWritten() {
        write(dir, "component/c.cfg", "[comp]\nurl = ${:_profile_base_location_}/c.in\nkeep = ${:_profile_base_location_}\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = component/c.cfg\n[comp]\nurl = ${:_profile_base_location_}/override.in\n");
        Map<String, String> comp = resolve(root).get("comp");
        assertThat(comp).containsEntry("url", dir + "/override.in").containsEntry("keep", dir + "/component")
                .containsEntry("_profile_base_location_", dir.toString());
    }

    @Test
    void aRecursiveIncludeIsAnError() {
        write(dir, "a.cfg", "[buildout]\nextends = b.cfg\n");
        write(dir, "b.cfg", "[buildout]\nextends = a.cfg\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = a.cfg\n");
        assertThatThrownBy(() -> resolve(root)).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("b.cfg:2").hasMessageContaining("Recursive file include");
    }

    @Test
    void aMissingExtendedFileNamesTheExtendingFileAndLine() {
        Path root = write(dir, "buildout.cfg", "[buildout]\nparts =\nextends = nope.cfg\n");
        assertThatThrownBy(() -> resolve(root)).isInstanceOf(BuildoutException.class)
                .hasMessageStartingWith(root + ":3: ").hasMessageContaining("nope.cfg")
                .satisfies(e -> assertThat(((BuildoutException) e).exitStatus()).isEqualTo(2));
    }

    @Test
    void extendedByIsRejected() {
        Path root = write(dir, "buildout.cfg", "[buildout]\nextended-by = x.cfg\n");
        assertThatThrownBy(() -> resolve(root)).hasMessageContaining("No-longer supported \"extended-by\"");
    }

    @Test
    void urlExtendsWithRelativeExtendsInsideTheRemoteFile() {
        served.put("/sr/software.cfg", "[buildout]\nextends = stack/base.cfg\n[s]\nb = sw\nurl = ${:_profile_base_location_}/instance.cfg.in\n");
        served.put("/sr/stack/base.cfg", "[s]\na = base\nb = base\nhere = ${:_profile_base_location_}\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = " + url("/sr/software.cfg") + "\n[s]\nc = local\n");
        Map<String, String> s = resolve(root).get("s");
        assertThat(s).containsEntry("a", "base").containsEntry("b", "sw").containsEntry("c", "local")
                .containsEntry("url", url("/sr/instance.cfg.in")).containsEntry("here", url("/sr/stack"));
    }

    @Test
    void aMainProfileMayBeAUrl() {
        served.put("/p/buildout.cfg", "[s]\nx = 1\n");
        Map<String, Map<String, String>> all = Buildout.builder(url("/p/buildout.cfg")).workingDirectory(dir).build().resolveAll();
        assertThat(all.get("s")).containsEntry("x", "1");
        assertThat(all.get("buildout")).containsEntry("directory", dir.toString());
    }

    @Test
    void aMissingUrlIsAConfigurationError() {
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = " + url("/missing.cfg") + "\n");
        assertThatThrownBy(() -> resolve(root)).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("buildout.cfg:2").hasMessageContaining("HTTP status 404");
    }

    @Test
    void offlineModeUsesOnlyTheExtendsCache() throws IOException {
        served.put("/c.cfg", "[s]\nx = remote\n");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends-cache = cache\nextends = " + url("/c.cfg") + "\n");
        assertThatThrownBy(() -> Buildout.builder(root).offline(true).build()).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("in offline mode");
        assertThat(requests).hasValue(0);
        assertThat(resolve(root).get("s")).containsEntry("x", "remote");   // online: fetched and cached
        assertThat(requests).hasValue(1);
        served.clear();
        assertThat(Buildout.builder(root).offline(true).build().resolveAll().get("s")).containsEntry("x", "remote");
        assertThat(requests).hasValue(1);
        assertThat(Files.list(cache)).hasSize(1);
    }

    @Test
    void fileUrlsAreReadLocally() {
        write(dir, "f.cfg", "[s]\nx = file-url\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = " + dir.resolve("f.cfg").toUri() + "\n");
        assertThat(Buildout.builder(root).offline(true).build().resolveAll().get("s")).containsEntry("x", "file-url");
    }

    @Test
    void commandLineAssignmentsOverrideEverythingAndMayIncrement() {
        write(dir, "base.cfg", "[s]\nl = a\n  b\n");
        write(dir, "more.cfg", "[s]\nfrom-cl-extends = yes\n");
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = base.cfg\nparts = x\n[s]\nv = file\n");
        Map<String, Map<String, String>> all = Buildout.builder(root).workingDirectory(dir)
                .assign("s:v=cl").assign("s:l-=a").assign("s:l+=c").assign("parts += y")
                .assign("new:opt = 1").assign("buildout:extends=more.cfg").build().resolveAll();
        assertThat(all.get("s")).containsEntry("v", "cl").containsEntry("l", "b\nc").containsEntry("from-cl-extends", "yes");
        assertThat(all.get("buildout")).containsEntry("parts", "x\ny");
        assertThat(all.get("new")).containsEntry("opt", "1");
    }

    @Test
    void badAssignmentsAreRejected() {
        assertThatThrownBy(() -> Buildout.builder(dir.resolve("b.cfg")).assign("a:b:c=1")).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("too many colons");
        assertThatThrownBy(() -> Buildout.builder(dir.resolve("b.cfg")).assign("novalue")).isInstanceOf(BuildoutException.class);
    }

    @Test
    void buildoutDefaultsAndPathNormalisation() {
        Path root = write(dir, "buildout.cfg", "[buildout]\nparts-directory = p\neggs-directory = ${:directory}/e\n"
                + "extends-cache = cache\noffline = true\n");
        Map<String, String> b = resolve(root).get("buildout");
        assertThat(b).containsEntry("directory", dir.toString()).containsEntry("bin-directory", dir + "/bin")
                .containsEntry("parts-directory", dir + "/p").containsEntry("eggs-directory", dir + "/e")
                .containsEntry("installed", dir + "/.installed.cfg").containsEntry("extends-cache", dir + "/cache")
                .containsEntry("offline", "true").containsEntry("newest", "true").containsEntry("versions", "versions")
                .containsKey("executable");
        assertThat(resolve(root)).containsKey("versions");
    }

    @Test
    void booleanOptionsMustBeTrueOrFalse() {
        Path root = write(dir, "buildout.cfg", "[buildout]\noffline = yes\n");
        assertThatThrownBy(() -> resolve(root)).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("buildout.cfg:2").hasMessageContaining("Invalid value for 'offline' option: 'yes'");
    }

    @Test
    void pathsNoFileSystemAcceptsAreConfigurationErrors() {
        Path root = write(dir, "buildout.cfg", "[buildout]\nextends = a\u0000b.cfg\n");
        assertThatThrownBy(() -> resolve(root)).isInstanceOf(BuildoutException.class).hasMessageContaining("invalid path");
        Path dirNul = write(dir, "buildout.cfg", "[buildout]\nparts-directory = p\u0000q\n");
        assertThatThrownBy(() -> Buildout.builder(dirNul).build().install()).isInstanceOf(BuildoutException.class)
                .hasMessageContaining("invalid path");
    }
}
