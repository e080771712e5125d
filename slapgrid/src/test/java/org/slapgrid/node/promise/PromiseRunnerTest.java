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
