package org.slapgrid.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.testing.Require;

class PartitionExecutorTest {

    @TempDir
    Path dir;

    private final PartitionExecutor executor = new PartitionExecutor();

    @Test
    void reportsExitCodeAndOutputInThePartitionDirectory() throws IOException {
        Path s = Scripts.write(dir.resolve("s"), "echo out; echo err >&2; pwd; exit 3");
        ExecResult r = executor.run(List.of(s.toString()), RunAs.currentUser(dir), Map.of(), Duration.ofSeconds(30));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.output()).contains("out", "err", dir.toRealPath().toString());
        assertThat(r.summary()).isEqualTo("exit 3");
    }

    @Test
    void theNodeEnvironmentDoesNotLeakIntoAPartition() throws IOException {
        Require.that(System.getenv("PATH") != null, "a PATH to compare with the partition's");
        Path s = Scripts.write(dir.resolve("s"), "env");
        ExecResult r = executor.run(List.of(s.toString()), RunAs.currentUser(dir), Map.of("EXTRA", "given"),
                Duration.ofSeconds(30));
        assertThat(r.output()).contains("HOME=" + dir, "EXTRA=given").doesNotContain("MAVEN", "JAVA_HOME");
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() throws Exception {
        Path marker = dir.resolve("child-alive");
        Path pidFile = dir.resolve("child-pid");
        // A background child that outlives its parent unless the tree is killed: after 2 s it
        // would create the marker. The marker's path is in its command line, so it can be found.
        Path s = Scripts.write(dir.resolve("s"), "sh -c 'sleep 2; touch \"$0\"' " + marker + " & echo $! > " + pidFile
                + "; echo started; sleep 60");
        CompletableFuture<ExecResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return executor.run(List.of(s.toString()), RunAs.currentUser(dir), Map.of(), Duration.ofMillis(1000));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // The child is seen while the executable runs: the search below can find it.
        await().atMost(Duration.ofSeconds(30)).until(() -> childrenNaming(marker) > 0);
        ExecResult r = run.get(30, TimeUnit.SECONDS);
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.output()).contains("started");
        assertThat(r.summary()).startsWith("timed out");
        long childPid = Long.parseLong(Files.readString(pidFile).trim());
        // Nothing remains that could still create the marker, and it is never created.
        await().atMost(Duration.ofSeconds(30)).until(() -> childrenNaming(marker) == 0
                && ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false) == false);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> Files.notExists(marker));
    }

    private static long childrenNaming(Path marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker.toString())).count();
    }

    @Test
    void keepsOnlyTheTailOfALongOutput() throws IOException {
        Path s = Scripts.write(dir.resolve("s"), "i=0; while [ $i -lt 5000 ]; do echo line-$i; i=$((i+1)); done");
        ExecResult r = executor.run(List.of(s.toString()), RunAs.currentUser(dir), Map.of(), Duration.ofSeconds(30));
        assertThat(r.output()).endsWith("line-4999\n").doesNotContain("line-0\n");
        assertThat(r.output().length()).isLessThanOrEqualTo(PartitionExecutor.OUTPUT_TAIL_BYTES);
    }

    @Test
    void asRootItRunsAsThePartitionUser() throws IOException {
        Require.root("switching to a partition user (CI runs as root)");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path s = Scripts.write(dir.resolve("s"), "id -un; cat /etc/shadow");
        ExecResult r = executor.run(List.of(s.toString()), new RunAs("nobody", dir), Map.of(), Duration.ofSeconds(30));
        assertThat(r.output()).startsWith("nobody").contains("Permission denied");
        assertThat(r.succeeded()).isFalse();
    }

    @Test
    void listsExecutablesSortedAndSkipsOthers() throws IOException {
        Scripts.write(dir.resolve("etc/b"), "true");
        Scripts.write(dir.resolve("etc/a"), "true");
        Files.writeString(dir.resolve("etc/readme"), "not executable");
        Scripts.write(dir.resolve("etc/.hidden"), "true");
        assertThat(PartitionExecutor.executablesIn(dir.resolve("etc"))).extracting(p -> p.getFileName().toString())
                .containsExactly("a", "b");
        assertThat(PartitionExecutor.executablesIn(dir.resolve("absent"))).isEmpty();
    }
}
