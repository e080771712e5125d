package org.slapgrid.node.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.exec.Scripts;

class DrainTest {

    @TempDir
    Path partition;

    private final Drain drain = new Drain(new PartitionExecutor());

    @Test
    void runsEveryPrermScriptInNameOrderAndReportsThem() throws IOException {
        Path log = partition.resolve("drain.log");
        Scripts.write(partition.resolve("etc/prerm/20-stop-writes"), "echo stop >> " + log);
        Scripts.write(partition.resolve("etc/prerm/10-flush"), "echo flush >> " + log + "; echo flushed 42 rows");

        DrainResult r = drain.run(partition, RunAs.currentUser(partition), Duration.ofSeconds(30));

        assertThat(Files.readAllLines(log)).containsExactly("flush", "stop");
        assertThat(r.clean()).isTrue();
        assertThat(r.scripts().get(0).result().output()).contains("flushed 42 rows");
        assertThat(r.describe()).containsExactly("prerm 10-flush: exit 0", "prerm 20-stop-writes: exit 0");
    }

    @Test
    void theDeadlineIsSharedAndRemovalProceedsAfterIt() throws IOException {
        Scripts.write(partition.resolve("etc/prerm/a-hangs"), "sleep 60");
        Scripts.write(partition.resolve("etc/prerm/b-next"), "echo never");

        DrainResult r = drain.run(partition, RunAs.currentUser(partition), Duration.ofMillis(600));

        assertThat(r.timedOut()).isTrue();
        assertThat(r.clean()).isFalse();
        assertThat(r.scripts().get(0).result().timedOut()).isTrue();
        assertThat(r.scripts().get(1).result().output()).contains("deadline had passed");
    }

    @Test
    void aFailingScriptIsReportedButDoesNotStopTheOthers() throws IOException {
        Scripts.write(partition.resolve("etc/prerm/a"), "echo cannot flush; exit 4");
        Scripts.write(partition.resolve("etc/prerm/b"), "true");
        DrainResult r = drain.run(partition, RunAs.currentUser(partition), Duration.ofSeconds(30));
        assertThat(r.clean()).isFalse();
        assertThat(r.timedOut()).isFalse();
        assertThat(r.describe()).containsExactly("prerm a: exit 4", "prerm b: exit 0");
    }

    @Test
    void noPrermScriptsMeansACleanDrain() throws IOException {
        assertThat(drain.run(partition, RunAs.currentUser(partition), Duration.ofSeconds(1)).clean()).isTrue();
    }
}
