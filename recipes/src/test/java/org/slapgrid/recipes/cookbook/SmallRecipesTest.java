package org.slapgrid.recipes.cookbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slapgrid.recipes.support.Modes;
import org.slapgrid.recipes.testing.FakeBuildout;
import org.slapgrid.recipes.testing.FakeBuildoutCase;

/** mkdirectory, symbolic.link, free_port and generate.password. */
class SmallRecipesTest extends FakeBuildoutCase {

    @Test
    void mkdirectoryCreatesMissingDirectoriesWithModeAndNeverEmptiesThem() throws Exception {
        buildout.section("directory", "recipe", "slapos.cookbook:mkdirectory", "mode", "0750",
                "etc", "${buildout:directory}/etc", "service", "${:etc}/service", "data", "srv/data", "empty", "");
        assertThat(buildout.install("directory")).as("data directories are never recorded for removal").isEmpty();
        assertThat(dir.resolve("etc/service")).isDirectory();
        assertThat(Modes.get(dir.resolve("srv/data"))).isEqualTo(0750);
        Files.writeString(dir.resolve("srv/data/db"), "precious");
        Files.setLastModifiedTime(dir.resolve("srv/data"), FileTime.fromMillis(1_000_000_000L));

        assertThat(buildout.update("directory")).isEmpty();
        assertThat(Files.readString(dir.resolve("srv/data/db"))).isEqualTo("precious");
        assertThat(Files.getLastModifiedTime(dir.resolve("srv/data")).toMillis()).isEqualTo(1_000_000_000L);

        buildout.section("directory").put("log", "var/log");
        buildout.install("directory");
        assertThat(dir.resolve("var/log")).isDirectory();
        assertThat(dir.resolve("srv/data/db")).exists();
    }

    @Test
    void mkdirectoryBadInputs() throws Exception {
        Files.writeString(dir.resolve("afile"), "");
        buildout.section("a", "recipe", "slapos.cookbook:mkdirectory", "x", "afile");
        assertThatThrownBy(() -> buildout.create("a")).hasMessageContaining("[a] x").hasMessageContaining("not a directory");
        buildout.section("b", "recipe", "slapos.cookbook:mkdirectory", "mode", "999", "x", "d");
        assertThatThrownBy(() -> buildout.create("b")).hasMessageContaining("[b] mode");
    }

    @Test
    void symbolicLinksAreCreatedOnceAndReturnedForRemoval() throws Exception {
        Files.writeString(dir.resolve("tool"), "");
        buildout.section("l", "recipe", "slapos.cookbook:symbolic.link", "target-directory", "bin",
                "link-binary", dir.resolve("tool").toString());
        Path link = dir.resolve("bin/tool");
        assertThat(buildout.install("l")).containsExactly(link);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(dir.resolve("tool"));
        assertThat(buildout.update("l")).isEmpty();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(dir.resolve("tool"));

        Files.writeString(dir.resolve("tool2"), "");
        buildout.section("l").put("link-binary", dir.resolve("tool2").toString());
        assertThat(buildout.install("l")).containsExactly(dir.resolve("bin/tool2"));

        Files.writeString(dir.resolve("bin/tool3"), "a real file");
        buildout.section("l").put("link-binary", dir.resolve("tool3").toString());
        assertThatThrownBy(() -> buildout.create("l")).hasMessageContaining("[l] target-directory");
        buildout.section("m", "recipe", "slapos.cookbook:symbolic.link", "target-directory", "bin");
        assertThatThrownBy(() -> buildout.create("m")).hasMessageContaining("[m] link-binary");
    }

    @Test
    void freePortIsPickedOnceAndKept() throws Exception {
        buildout.section("p", "recipe", "slapos.cookbook:free_port", "ip", "127.0.0.1", "minimum", "20000", "maximum", "20100");
        buildout.install("p");
        String port = buildout.section("p").get("port");
        assertThat(Integer.parseInt(port)).isBetween(20000, 20100);
        Path storage = dir.resolve("parts/p.port.json");
        Files.setLastModifiedTime(storage, FileTime.fromMillis(1_000_000_000L));
        // Now the instance's service listens on it: a later run keeps it anyway.
        try (ServerSocket taken = new ServerSocket(Integer.parseInt(port), 1, InetAddress.getByName("127.0.0.1"))) {
            buildout.update("p");
            assertThat(buildout.section("p").get("port")).isEqualTo(port);
        }
        assertThat(Files.getLastModifiedTime(storage).toMillis()).isEqualTo(1_000_000_000L);
    }

    @Test
    void freePortRangeChangeRepicksOnlyWhenTheKeptPortFallsOutside() throws Exception {
        buildout.section("p", "recipe", "slapos.cookbook:free_port", "minimum", "22000", "maximum", "22100");
        buildout.install("p");
        int port = Integer.parseInt(buildout.section("p").get("port"));
        buildout.section("p").put("maximum", "22200");
        buildout.install("p");
        assertThat(buildout.section("p").get("port")).as("still in range: kept").isEqualTo(String.valueOf(port));
        buildout.section("p").put("minimum", String.valueOf(port + 1));
        buildout.install("p");
        assertThat(Integer.parseInt(buildout.section("p").get("port"))).isGreaterThan(port);
    }

    @Test
    void freePortSkipsPortsInUseAndRejectsBadRanges() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int busy = taken.getLocalPort();
            buildout.section("p", "recipe", "slapos.cookbook:free_port", "ip", "127.0.0.1",
                    "minimum", String.valueOf(busy), "maximum", String.valueOf(Math.min(busy + 50, 65535)));
            buildout.create("p");
            assertThat(buildout.section("p").get("port")).isNotEqualTo(String.valueOf(busy));
        }
        buildout.section("q", "recipe", "slapos.cookbook:free_port", "minimum", "abc");
        assertThatThrownBy(() -> buildout.create("q")).hasMessageContaining("[q] minimum");
        buildout.section("r", "recipe", "slapos.cookbook:free_port", "minimum", "3000", "maximum", "2000");
        assertThatThrownBy(() -> buildout.create("r")).hasMessageContaining("[r] maximum");
        buildout.section("s", "recipe", "slapos.cookbook:free_port", "ip", "not an ip!");
        assertThatThrownBy(() -> buildout.create("s")).hasMessageContaining("[s] ip");
    }

    @Test
    void passwordIsGeneratedOnceStoredPrivatelyAndVolatile() throws Exception {
        buildout.section("pw", "recipe", "slapos.cookbook:generate.password", "bytes", "24");
        assertThat(buildout.install("pw")).as("the stored password survives uninstall").isEmpty();
        String password = buildout.section("pw").get("passwd");
        assertThat(password).matches("[A-Za-z0-9]{24}");
        assertThat(buildout.section("pw").asMap()).as("never in the signature / .installed.cfg").doesNotContainKey("passwd");
        Path storage = dir.resolve("parts/pw");
        assertThat(Modes.get(storage)).isEqualTo(0600);
        assertThat(buildout.log).noneMatch(line -> line.contains(password));
        Files.setLastModifiedTime(storage, FileTime.fromMillis(1_000_000_000L));

        FakeBuildout second = new FakeBuildout(dir);
        second.section("pw", "recipe", "slapos.cookbook:generate.password", "bytes", "24");
        assertThat(second.update("pw")).isEmpty();
        assertThat(second.section("pw").get("passwd")).isEqualTo(password);
        assertThat(Files.getLastModifiedTime(storage).toMillis()).isEqualTo(1_000_000_000L);

        // Changed options (reinstall) keep the stored password too.
        FakeBuildout third = new FakeBuildout(dir);
        third.section("pw", "recipe", "slapos.cookbook:generate.password", "bytes", "8");
        third.install("pw");
        assertThat(third.section("pw").get("passwd")).isEqualTo(password);
    }

    @Test
    @SuppressWarnings("unchecked")
    void passwordReadsOldPlainFilesAndHonoursCreateOnceAndForcedValues() throws Exception {
        Files.writeString(dir.resolve("old.txt"), "legacy\n");
        buildout.section("a", "recipe", "slapos.cookbook:generate.password", "storage-path", "old.txt");
        buildout.create("a");
        assertThat(buildout.section("a").get("passwd")).isEqualTo("legacy");

        buildout.section("b", "recipe", "slapos.cookbook:generate.password", "storage-path", "b.json", "create-once", "false");
        assertThat(buildout.install("b")).containsExactly(dir.resolve("b.json"));
        assertThat((Map<Object, Object>) org.slapgrid.recipes.support.Json.read(dir.resolve("b.json")))
                .containsEntry("", buildout.section("b").get("passwd"));

        buildout.section("c", "recipe", "slapos.cookbook:generate.password", "bytes", "x");
        assertThatThrownBy(() -> buildout.create("c")).hasMessageContaining("[c] bytes");
        buildout.section("d", "recipe", "slapos.cookbook:generate.password", "create-once", "maybe");
        assertThatThrownBy(() -> buildout.create("d")).hasMessageContaining("[d] create-once");
        Files.writeString(dir.resolve("bad.json"), "{\"x\": \"secret-value\"}");
        buildout.section("e", "recipe", "slapos.cookbook:generate.password", "storage-path", "bad.json");
        assertThatThrownBy(() -> buildout.create("e")).hasMessageContaining("[e] storage-path")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-value"));
    }
}
