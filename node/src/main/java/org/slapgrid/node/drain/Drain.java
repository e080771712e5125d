package org.slapgrid.node.drain;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;

/**
 * The lifecycle hook before removal: runs the scripts in a partition's {@code etc/prerm/} as
 * its user and waits for them, so the instance can flush, stop taking writes or hand its work
 * over. All scripts share one deadline (instance parameter {@code slapgrid-drain-timeout}, see
 * {@link org.slapgrid.node.instance.NodeParameters}); a script
 * still running at the deadline is killed, and the removal proceeds, saying so.
 */
public final class Drain {

    private final PartitionExecutor executor;

    public Drain(PartitionExecutor executor) {
        this.executor = executor;
    }

    public DrainResult run(Path partitionDirectory, RunAs who, Duration timeout) throws IOException {
        List<Path> scripts = PartitionExecutor.executablesIn(partitionDirectory.resolve("etc/prerm"));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DrainResult.Script> done = new java.util.ArrayList<>();
        boolean timedOut = false;
        // One after another, in name order, so scripts can rely on it (10-flush before 20-stop).
        for (Path script : scripts) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            ExecResult r = left.isZero()
                    ? new ExecResult(-1, "not started: the drain deadline had passed", true, Duration.ZERO)
                    : executor.run(List.of(script.toString()), who, Map.of("SLAPGRID_DRAIN_TIMEOUT",
                            Long.toString(left.toSeconds())), left);
            done.add(new DrainResult.Script(script.getFileName().toString(), r));
            timedOut |= r.timedOut();
        }
        return new DrainResult(List.copyOf(done), timedOut);
    }
}
