package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Main;
import org.slapgrid.cli.master.MasterCommand;
import org.slapgrid.slap.SlapClient;
import picocli.CommandLine;

/** {@code slapos master}: starts on the given address and data directory, serves, stops cleanly. */
class MasterCommandTest {
    @TempDir
    Path tmp;

    @Test
    void servesWithItsAdminTokenUntilStopped() throws Exception {
        MasterCommand cmd = new MasterCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(cmd)
                .execute("--listen", "127.0.0.1:0", "--data-dir", tmp.toString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> cmd.running() != null || exit.isDone());
        assertThat(cmd.running()).as("master started").isNotNull();
        Path token = tmp.resolve("admin-token");
        assertThat(Files.getPosixFilePermissions(token)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.exists(tmp.resolve("master.db"))).isTrue();
        SlapClient admin = SlapClient.builder(cmd.running().url()).token(Files.readString(token).strip()).build();
        assertThat(admin.registerNode("n1", List.of("slappart0")).id()).isEqualTo("n1");
        cmd.stop();
        await().atMost(Duration.ofSeconds(30)).until(exit::isDone);
        assertThat(exit.join()).isZero();
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(Main.run("master", "--listen", "nowhere", "--data-dir", tmp.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(Main.run("master", "--db", "jdbc:mysql://x/y", "--data-dir", tmp.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(Main.run("master", "--tls-keystore", tmp.resolve("none.p12").toString(), "--data-dir", tmp.toString()))
                .isEqualTo(ExitCode.USAGE);
        assertThat(Main.run("master", "--contact-interval", "0", "--data-dir", tmp.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(Main.run("master", "--webhook-allow", "localhost/8", "--data-dir", tmp.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(Main.run("master", "--webhook-allow", "10.0.0.0/33", "--data-dir", tmp.toString())).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void theContactIntervalReachesTheConfiguration() throws Exception {
        MasterCommand cmd = new MasterCommand();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(cmd)
                .execute("--listen", "127.0.0.1:0", "--data-dir", tmp.toString(), "--contact-interval", "3",
                        "--webhook-allow", "127.0.0.1/32", "--webhook-allow", "fd00::/8"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cmd.running() != null || exit.isDone());
        assertThat(cmd.running().config().contactInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(cmd.running().config().webhookAllow()).extracting(Object::toString).containsExactly("127.0.0.1/32", "fd00::/8");
        cmd.stop();
        await().atMost(Duration.ofSeconds(30)).until(exit::isDone);
    }
}
