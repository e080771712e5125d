package org.slapgrid.node.promise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.exec.Scripts;

class PromiseRunnerTest {

    @TempDir
    Path partition;

    @Test
    void keptBrokenAndTimedOutPromises() throws IOException {
        Scripts.write(partition.resolve("etc/promise/a-kept"), "echo fine");
        Scripts.write(partition.resolve("etc/promise/b-broken"), "echo 'port 3306 not listening' >&2; exit 1");
        Scripts.write(partition.resolve("etc/promise/c-slow"), "sleep 30");

        List<PromiseResult> results = PromiseRunner.withOwnPool(Duration.ofMillis(700))
                .run(partition, RunAs.currentUser(partition));

        assertThat(results).extracting(PromiseResult::name).containsExactly("a-kept", "b-broken", "c-slow");
        assertThat(results.get(0).kept()).isTrue();
        assertThat(results.get(0).describe()).isEqualTo("kept");
        assertThat(results.get(1).kept()).isFalse();
        assertThat(results.get(1).output()).contains("port 3306 not listening");
        assertThat(results.get(1).describe()).isEqualTo("broken (exit 1)");
        assertThat(results.get(2).kept()).isFalse();
        assertThat(results.get(2).timedOut()).isTrue();
    }

    /**
     * Issue 10, finding 5, as the attack: a promise that leaves a background child holding its
     * output open, one in its session and one that left it (setsid). The old runner waited for
     * the end of that output with a thread per run (and the JDK's process reaper behind it):
     * 37 -> 61 threads in 3 minutes on the demo. Now every round ends when the promise ends, the
     * child left in the session is killed, and the number of threads stays flat.
     */
    @Test
    void aPromiseWhoseBackgroundChildKeepsItsOutputOpenLeaksNoThreadAndNoProcess() throws Exception {
        Path pids = java.nio.file.Files.createDirectories(partition.resolve("pids"));
        java.nio.file.Files.setPosixFilePermissions(partition, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Files.setPosixFilePermissions(pids, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Scripts.write(partition.resolve("etc/promise/leaky"), "sleep 300 & echo $! >> " + pids.resolve("in-session") + "\n"
                + "setsid sh -c 'echo $$ >> " + pids.resolve("escaped") + "; exec sleep 300' &\n"
                + "echo kept");
        RunAs who = Scripts.isRoot() ? new RunAs("nobody", partition) : RunAs.currentUser(partition);
        PromiseRunner runner = PromiseRunner.withOwnPool(Duration.ofSeconds(10));
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try {
            runner.run(partition, who); // warm up: the pool's thread, the JDK's reaper
            int before = threads.getThreadCount();
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int round = 0; round < 25; round++) {
                    assertThat(runner.run(partition, who)).singleElement().satisfies(r -> {
                        assertThat(r.kept()).as(r.output()).isTrue();
                        assertThat(r.output()).contains("kept");
                    });
                }
            }, "a promise's background child made the runner wait for the end of its output");
            assertThat(threads.getThreadCount()).as("threads after 25 rounds").isLessThanOrEqualTo(before + 6); // the timeout thread, idle reapers; a leak is one or two per round
            List<Long> inSession = java.nio.file.Files.readAllLines(pids.resolve("in-session")).stream().map(Long::parseLong).toList();
            assertThat(inSession).hasSize(26);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(inSession).noneMatch(org.slapgrid.node.exec.ProcessTable::isAlive));
        } finally {
            if (java.nio.file.Files.exists(pids.resolve("escaped"))) {
                org.slapgrid.node.exec.ProcessTable.kill(java.nio.file.Files.readAllLines(pids.resolve("escaped")).stream()
                        .map(Long::parseLong).toList());
            }
        }
    }

    @Test
    void aPartitionWithoutPromisesHasNone() throws IOException {
        assertThat(PromiseRunner.withOwnPool(Duration.ofSeconds(1)).run(partition, RunAs.currentUser(partition))).isEmpty();
    }

    @Test
    void stateTellsBreakingFromRecovering() throws IOException {
        PromiseState state = new PromiseState(partition.resolve("state/promises.json"));
        Path promise = Scripts.write(partition.resolve("etc/promise/p"), "exit 0");
        PromiseRunner runner = PromiseRunner.withOwnPool(Duration.ofSeconds(10));

        assertThat(state.record(runner.run(partition, RunAs.currentUser(partition)))).isEmpty();
        Path file = partition.resolve("state/promises.json");
        java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000L));
        state.record(runner.run(partition, RunAs.currentUser(partition)));
        assertThat(java.nio.file.Files.getLastModifiedTime(file).toMillis()).as("same results: not rewritten")
                .isEqualTo(1_000_000_000L);

        Scripts.write(promise, "echo down; exit 2");
        List<PromiseState.Change> broke = state.record(runner.run(partition, RunAs.currentUser(partition)));
        assertThat(broke).singleElement().satisfies(c -> {
            assertThat(c.nowKept()).isFalse();
            assertThat(c.describe()).isEqualTo("promise p broke: broken (exit 2)");
        });
        assertThat(state.record(runner.run(partition, RunAs.currentUser(partition)))).as("still broken: no new change").isEmpty();

        Scripts.write(promise, "exit 0");
        assertThat(state.record(runner.run(partition, RunAs.currentUser(partition))))
                .singleElement().satisfies(c -> assertThat(c.describe()).isEqualTo("promise p recovered"));
        assertThat(state.load()).singleElement().satisfies(r -> assertThat(r.kept()).isTrue());
    }
}
