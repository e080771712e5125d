package org.slapgrid.node.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.config.NodeConfig;
import org.zeroturnaround.exec.ProcessExecutor;
import org.slapgrid.testing.Require;

class NodeFormatterTest {

    @TempDir
    Path dir;

    private NodeConfig config(int partitions) {
        return new NodeConfig(null, "http://127.0.0.1:1", "node-1", dir.resolve("secret"), dir.resolve("opt"),
                dir.resolve("srv"), partitions, "127.1.0.0/16", Duration.ofDays(1), Duration.ofHours(1), 2, false);
    }

    @Test
    void formatsPartitionsWithOwnAddressesAndMode0750() throws IOException {
        var result = new NodeFormatter(config(3), new CurrentUserAccounts()).format();
        assertThat(result.partitions()).extracting(Partition::id).containsExactly("slappart0", "slappart1", "slappart2");
        assertThat(result.partitions()).extracting(Partition::ipv4).containsExactly("127.1.0.1", "127.1.0.2", "127.1.0.3");
        for (Partition p : result.partitions()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p.directory()))).isEqualTo("rwxr-x---");
            assertThat(p.user()).isEqualTo(System.getProperty("user.name"));
        }
        assertThat(NodeFormatter.formatted(config(3))).isEqualTo(result.partitions());
    }

    @Test
    void reformattingChangesNothingAndNeverTouchesInstanceData() throws IOException {
        NodeConfig c = config(2);
        new NodeFormatter(c, new CurrentUserAccounts()).format();
        Path data = c.partitionDirectory("slappart1").resolve("srv/db");
        Files.createDirectories(data.getParent());
        Files.writeString(data, "precious");
        FileTime before = Files.getLastModifiedTime(NodeFormatter.formatFile(c));

        var again = new NodeFormatter(c, new CurrentUserAccounts()).format();

        assertThat(again.changes()).isEmpty();
        assertThat(Files.readString(data)).isEqualTo("precious");
        assertThat(Files.getLastModifiedTime(NodeFormatter.formatFile(c))).isEqualTo(before);
    }

    @Test
    void repairsAPartitionModeThatWasLoosened() throws IOException {
        NodeConfig c = config(1);
        new NodeFormatter(c, new CurrentUserAccounts()).format();
        Files.setPosixFilePermissions(c.partitionDirectory("slappart0"), PosixFilePermissions.fromString("rwxrwxrwx"));
        var again = new NodeFormatter(c, new CurrentUserAccounts()).format();
        assertThat(again.changes()).anyMatch(s -> s.contains("mode 0750"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.partitionDirectory("slappart0"))))
                .isEqualTo("rwxr-x---");
    }

    @Test
    void refusesToFormatThroughASymlink() throws IOException {
        NodeConfig c = config(1);
        Files.createDirectories(c.instanceRoot());
        Files.createSymbolicLink(c.partitionDirectory("slappart0"), dir);
        assertThatThrownBy(() -> new NodeFormatter(c, new CurrentUserAccounts()).format())
                .hasMessageContaining("symbolic link");
    }

    @Test
    void addressesSkipNetworkAndBroadcastLikeOctets() {
        List<String> a = LoopbackAddresses.allocate("127.9.0.0/16", 256);
        assertThat(a.get(253)).isEqualTo("127.9.0.254");
        assertThat(a.get(254)).isEqualTo("127.9.1.1");
        assertThat(a).doesNotHaveDuplicates().noneMatch(s -> s.endsWith(".0") || s.endsWith(".255"));
        assertThatThrownBy(() -> LoopbackAddresses.allocate("127.9.0.0/30", 5)).hasMessageContaining("room for 3");
    }

    // ---- as root: real users, and partitions that cannot read each other ----

    private static final String TEST_USER_PREFIX = "sgfmt";

    @AfterEach
    void removeTestUsers() throws Exception {
        if (isRoot()) {
            for (int i = 0; i < 2; i++) {
                new ProcessExecutor().command("userdel", TEST_USER_PREFIX + i).timeout(30, TimeUnit.SECONDS).execute();
            }
        }
    }

    @Test
    void asRootEachPartitionHasItsOwnUserAndOthersCannotReadIt() throws Exception {
        NodeConfig c = rootConfig();
        var result = new NodeFormatter(c, new UnixAccounts(TEST_USER_PREFIX)).format();
        assertThat(result.partitions()).extracting(Partition::user).containsExactly("sgfmt0", "sgfmt1");
        for (Partition p : result.partitions()) {
            assertThat(Files.getOwner(p.directory()).getName()).isEqualTo(p.user());
        }
        Path secret = result.partitions().get(1).directory().resolve("secret.txt");
        Files.writeString(secret, "partition 1 only");
        Files.setOwner(secret, Files.getOwner(result.partitions().get(1).directory()));

        var own = new ProcessExecutor().command("runuser", "-u", "sgfmt1", "--", "cat", secret.toString())
                .readOutput(true).timeout(30, TimeUnit.SECONDS).execute();
        var other = new ProcessExecutor().command("runuser", "-u", "sgfmt0", "--", "cat", secret.toString())
                .readOutput(true).timeout(30, TimeUnit.SECONDS).execute();

        assertThat(own.getExitValue()).isZero();
        assertThat(own.outputUTF8()).isEqualTo("partition 1 only");
        assertThat(other.getExitValue()).isNotZero();
        assertThat(other.outputUTF8()).contains("Permission denied");

        assertThat(new NodeFormatter(c, new UnixAccounts(TEST_USER_PREFIX)).format().changes()).isEmpty();
    }

    @Test
    void asRootPartitionUsersAreRegularAccountsSoAThousandFit() throws Exception {
        NodeConfig c = rootConfig();
        new NodeFormatter(c, new UnixAccounts(TEST_USER_PREFIX)).format();
        // the system range (SYS_UID_MIN..SYS_UID_MAX, 100-999) holds fewer than 900 accounts for the machine
        long uidMin = Files.readAllLines(Path.of("/etc/login.defs")).stream().map(String::strip)
                .filter(l -> l.matches("UID_MIN\\s+\\d+")).map(l -> Long.parseLong(l.split("\\s+")[1])).findFirst().orElse(1000L);
        for (int i = 0; i < 2; i++) {
            String user = TEST_USER_PREFIX + i;
            long uid = Long.parseLong(new ProcessExecutor().command("id", "-u", user).readOutput(true)
                    .timeout(30, TimeUnit.SECONDS).execute().outputUTF8().strip());
            assertThat(uid).as(user + "'s uid").isGreaterThanOrEqualTo(uidMin);
            Path subuid = Path.of("/etc/subuid");
            if (Files.exists(subuid)) {
                assertThat(Files.readAllLines(subuid)).noneMatch(l -> l.startsWith(user + ":"));
            }
        }
    }

    /** A multi-user node of two partitions in {@code dir} (as root only). */
    private NodeConfig rootConfig() throws IOException {
        Require.root("creating partition users (CI runs the suite as root)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new NodeConfig(null, "http://127.0.0.1:1", "node-1", dir.resolve("secret"), dir.resolve("opt"),
                dir.resolve("srv"), 2, "127.1.0.0/16", Duration.ofDays(1), Duration.ofHours(1), 2, true);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
