package org.slapgrid.node.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assumeTrue(System.getenv("PATH") != null);
        Path s = Scripts.write(dir.resolve("s"), "env");
        ExecResult r = executor.run(List.of(s.toString()), RunAs.currentUser(dir), Map.of("EXTRA", "given"),
                Duration.ofSeconds(30));
        assertThat(r.output()).contains("HOME=" + dir, "EXTRA=given").doesNotContain("MAVEN", "JAVA_HOME");
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() throws IOException {
        Path marker = dir.resolve("child-alive");
        // The child outlives its parent unless the tree is killed: it would touch the marker after 3 s.
        Path s = Scripts.write(dir.resolve("s"), "(sleep 3; touch " + marker + ") & echo started; sleep 60");
        ExecResult r = executor.run(List.of(s.toString()), RunAs.currentUser(dir), Map.of(), Duration.ofMillis(500));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.output()).contains("started");
        assertThat(r.summary()).startsWith("timed out");
        // Nothing may remain that could still create the marker.
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker.toString())))
                .isEmpty();
        assertThat(marker).doesNotExist();
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
        assumeTrue(Scripts.isRoot(), "switching to a partition user needs root (CI runs as root)");
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
