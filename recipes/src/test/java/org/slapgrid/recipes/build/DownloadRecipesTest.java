package org.slapgrid.recipes.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.testing.FakeBuildout;
import org.slapgrid.recipes.testing.FakeBuildoutCase;

class DownloadRecipesTest extends FakeBuildoutCase {

    FileServer server;

    static final Map<String, String> TREE = new LinkedHashMap<>();

    static {
        TREE.put("pkg-1.0", null);
        TREE.put("pkg-1.0/README", "hello\n");
        TREE.put("pkg-1.0/bin/run.sh", "#!/bin/sh\necho run\n");
        TREE.put("pkg-1.0/link", "->README");
    }

    @BeforeEach
    void setUp() throws Exception {
        server = new FileServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static String md5(byte[] data) {
        return Checksum.hex("MD5", data);
    }

    private static String listing(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            return String.join(",", files.map(p -> root.relativize(p).toString()).sorted().toList());
        }
    }

    @Test
    void unpacksEveryFormatOverHttpStrippingTheTopDirectory() throws Exception {
        Map<String, byte[]> formats = Map.of("a.tar.gz", Archives.tarGz(TREE), "a.tar.xz", Archives.tarXz(TREE),
                "a.tar.bz2", Archives.tarBz2(TREE), "a.zip", Archives.zip(Map.of("pkg/", "x", "pkg/README", "hello\n")));
        for (Map.Entry<String, byte[]> format : formats.entrySet()) {
            server.files.put("/" + format.getKey(), format.getValue());
            String section = "u-" + format.getKey().replace('.', '-');
            buildout.section(section, "recipe", "slapos.recipe.build:download-unpacked",
                    "url", server.url("/" + format.getKey()), "md5sum", md5(format.getValue()));
            Path destination = dir.resolve("parts").resolve(section);
            assertThat(buildout.install(section)).containsExactly(destination);
            assertThat(buildout.section(section).get("location")).isEqualTo(destination.toString());
            assertThat(Files.readString(destination.resolve("README"))).as(format.getKey()).isEqualTo("hello\n");
        }
        Path tgz = dir.resolve("parts/u-a-tar-gz");
        assertThat(listing(tgz)).isEqualTo(",README,bin,bin/run.sh,link");
        assertThat(Files.isExecutable(tgz.resolve("bin/run.sh"))).isTrue();
        assertThat(Files.readSymbolicLink(tgz.resolve("link")).toString()).isEqualTo("README");
        try (Stream<Path> leftovers = Files.list(dir.resolve("parts"))) {
            assertThat(leftovers).noneMatch(p -> p.getFileName().toString().startsWith("."));
        }
    }

    @Test
    void updateWithSameOptionsTouchesNothingAndChangedOptionsReplace() throws Exception {
        byte[] v1 = Archives.tarGz(TREE);
        server.files.put("/v1.tgz", v1);
        buildout.section("u", "recipe", "slapos.recipe.build:download-unpacked", "url", server.url("/v1.tgz"),
                "sha256", Checksum.hex("SHA-256", v1), "strip-top-level-dir", "false", "destination", "srv/pkg");
        buildout.install("u");
        Path readme = dir.resolve("srv/pkg/pkg-1.0/README");
        Files.setLastModifiedTime(readme, FileTime.fromMillis(1_000_000_000L));
        int before = server.requests.get();
        assertThat(buildout.update("u")).isEmpty();
        assertThat(server.requests.get()).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(readme).toMillis()).isEqualTo(1_000_000_000L);

        byte[] v2 = Archives.tarGz(Map.of("pkg-2.0/NEW", "2"));
        server.files.put("/v2.tgz", v2);
        buildout.section("u").put("url", server.url("/v2.tgz"));
        buildout.section("u").put("sha256", Checksum.hex("SHA-256", v2));
        buildout.install("u");
        assertThat(server.requests.get()).as("the new URL is fetched").isEqualTo(before + 1);
        assertThat(listing(dir.resolve("srv/pkg"))).as("the old tree is replaced, not merged")
                .isEqualTo(",pkg-2.0,pkg-2.0/NEW");
    }

    @Test
    void aConnectionClosedMidTransferIsTriedAgainAndAPersistentOneFailsNamingTheUrl() throws Exception {
        byte[] data = Archives.tarGz(TREE);
        server.files.put("/flaky.tar.gz", data);
        String url = server.url("/flaky.tar.gz");
        buildout.section("u", "recipe", "slapos.recipe.build:download-unpacked", "url", url, "md5sum", md5(data));
        server.brokenAnswers.set(1);
        Path destination = dir.resolve("parts/u");
        assertThat(buildout.install("u")).containsExactly(destination);
        assertThat(server.requests).as("one broken answer, one good").hasValue(2);
        assertThat(listing(destination)).as("the whole archive, unpacked once").isNotEmpty();

        buildout.section("v", "recipe", "slapos.recipe.build:download-unpacked", "url", url, "md5sum", md5(data));
        server.requests.set(0);
        server.brokenAnswers.set(10);
        assertThatThrownBy(() -> buildout.install("v"))
                .isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[v] url")
                .hasMessageContaining("cannot download " + url);
        assertThat(server.requests).as("three attempts, then the error").hasValue(3);
    }

    @Test
    void wrongChecksumFailsNamingUrlAndChecksumAndLeavesNothing() throws Exception {
        byte[] data = Archives.tarGz(TREE);
        server.files.put("/pkg.tar.gz", data);
        String url = server.url("/pkg.tar.gz");
        buildout.section("u", "recipe", "slapos.recipe.build:download-unpacked", "url", url,
                "md5sum", "0123456789abcdef0123456789abcdef");
        assertThatThrownBy(() -> buildout.install("u"))
                .isInstanceOf(BuildoutException.class)
                .hasMessageContaining("[u] md5sum")
                .hasMessageContaining(url)
                .hasMessageContaining("0123456789abcdef0123456789abcdef")
                .hasMessageContaining(md5(data));
        try (Stream<Path> files = Files.list(dir.resolve("parts"))) {
            assertThat(files).as("nothing half-unpacked, no temporary left").isEmpty();
        }
    }

    @Test
    void archivesEscapingTheTargetAreRefused() throws Exception {
        Map<String, Map<String, String>> evil = Map.of(
                "dots.tgz", Map.of("../../escaped", "x"),
                "link.tgz", new LinkedHashMap<>(Map.of("a/l", "->../../../etc")));
        for (Map.Entry<String, Map<String, String>> e : evil.entrySet()) {
            server.files.put("/" + e.getKey(), Archives.tarGz(e.getValue()));
            buildout.section("z", "recipe", "slapos.recipe.build:download-unpacked", "url", server.url("/" + e.getKey()));
            assertThatThrownBy(() -> buildout.install("z")).as(e.getKey())
                    .isInstanceOf(BuildoutException.class).hasMessageContaining("[z] url").hasMessageContaining("refusing");
        }
        // A nested link pointing outside is refused too.
        Map<String, String> relink = new LinkedHashMap<>();
        relink.put("d/", null);
        relink.put("d/l", "->../../../outside");
        server.files.put("/relink.tgz", Archives.tarGz(relink));
        buildout.section("z").put("url", server.url("/relink.tgz"));
        assertThatThrownBy(() -> buildout.install("z")).hasMessageContaining("refusing");
        server.files.put("/zipslip.zip", Archives.zip(Map.of("../zipslip", "x")));
        buildout.section("z").put("url", server.url("/zipslip.zip"));
        assertThatThrownBy(() -> buildout.install("z")).hasMessageContaining("refusing");
        assertThat(dir.resolve("escaped")).doesNotExist();
        assertThat(dir.resolve("zipslip")).doesNotExist();
        assertThat(dir.resolve("parts/z")).doesNotExist();
    }

    @Test
    void downloadCacheServesASecondReleaseWithoutTheNetwork() throws Exception {
        byte[] data = Archives.tarXz(TREE);
        server.files.put("/c.tar.xz", data);
        buildout.section("buildout").put("download-cache", dir.resolve("cache").toString());
        buildout.section("u", "recipe", "slapos.recipe.build:download-unpacked", "url", server.url("/c.tar.xz"), "md5sum", md5(data));
        buildout.install("u");
        server.files.clear();

        FakeBuildout other = new FakeBuildout(dir.resolve("release2")).offline(true);
        other.section("buildout").put("download-cache", dir.resolve("cache").toString());
        other.section("u", "recipe", "slapos.recipe.build:download-unpacked", "url", server.url("/c.tar.xz"), "md5sum", md5(data));
        other.install("u");
        assertThat(dir.resolve("release2/parts/u/README")).hasContent("hello");

        FakeBuildout uncached = new FakeBuildout(dir.resolve("release3")).offline(true);
        uncached.section("u", "recipe", "slapos.recipe.build:download-unpacked", "url", server.url("/other.tgz"));
        assertThatThrownBy(() -> uncached.install("u")).hasMessageContaining("[u] url").hasMessageContaining("offline");
    }

    @Test
    void aCorruptCacheEntryIsDroppedAndFetchedAgain() throws Exception {
        byte[] data = Archives.tarGz(TREE);
        server.files.put("/p.tgz", data);
        String url = server.url("/p.tgz");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Path entry = cache.resolve(Checksum.hex("SHA-256", url.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(entry, "garbage");
        buildout.section("buildout").put("download-cache", cache.toString());
        buildout.section("u", "recipe", "slapos.recipe.build:download-unpacked", "url", url, "md5sum", md5(data));
        buildout.install("u");
        assertThat(dir.resolve("parts/u/README")).hasContent("hello");
        assertThat(Files.readAllBytes(entry)).isEqualTo(data);
        assertThat(server.requests.get()).isEqualTo(1);
    }

    @Test
    void plainDownloadFromFileUrlAndPathWithMode() throws Exception {
        Path source = dir.resolve("src.bin");
        Files.write(source, "payload".getBytes(StandardCharsets.UTF_8));
        buildout.section("d", "recipe", "slapos.recipe.build:download", "url", source.toUri().toString(),
                "filename", "tool", "mode", "0755", "md5sum", md5("payload".getBytes(StandardCharsets.UTF_8)));
        assertThat(buildout.install("d")).containsExactly(dir.resolve("parts/d"));
        Path target = dir.resolve("parts/d/tool");
        assertThat(buildout.section("d").get("target")).isEqualTo(target.toString());
        assertThat(target).hasContent("payload");
        assertThat(Modes.get(target)).isEqualTo(0755);
        Files.setLastModifiedTime(target, FileTime.fromMillis(1_000_000_000L));
        buildout.update("d");
        assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(1_000_000_000L);

        buildout.section("e", "recipe", "slapos.recipe.build:download", "url", "src.bin", "destination", "out/file");
        assertThat(buildout.install("e")).containsExactly(dir.resolve("out/file"));
        assertThat(Modes.get(dir.resolve("out/file"))).as("readable by the instances by default").isEqualTo(0644);
        Files.setLastModifiedTime(dir.resolve("out/file"), FileTime.fromMillis(1_000_000_000L));
        buildout.update("e");
        assertThat(Files.getLastModifiedTime(dir.resolve("out/file")).toMillis())
                .as("downloaded again without checksum, same bytes: not replaced").isEqualTo(1_000_000_000L);
        Files.writeString(source, "v2");
        buildout.update("e");
        assertThat(dir.resolve("out/file")).hasContent("v2");
    }

    @Test
    void downloadBadInputs() {
        buildout.section("a", "recipe", "slapos.recipe.build:download");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] url");
        buildout.section("b", "recipe", "slapos.recipe.build:download", "url", "x", "md5sum", "nothex");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] md5sum");
        buildout.section("c", "recipe", "slapos.recipe.build:download", "url", "x", "filename", "f", "destination", "d");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c] filename");
        buildout.section("d", "recipe", "slapos.recipe.build:download", "url", server.url("/missing"));
        assertThatThrownBy(() -> buildout.install("d")).hasMessageContaining("[d] url").hasMessageContaining("404");
        buildout.section("e", "recipe", "slapos.recipe.build:download-unpacked", "url", "x", "strip-top-level-dir", "sometimes");
        assertThatThrownBy(() -> buildout.create("e")).hasMessageContaining("[e] strip-top-level-dir");
    }
}
