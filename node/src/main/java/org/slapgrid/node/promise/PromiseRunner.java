package org.slapgrid.node.promise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;

/**
 * Runs a partition's promises: every executable in {@code etc/promise/}, in parallel, as the
 * partition's user, each with its own timeout. Exit 0 in time means kept; anything else,
 * broken. Results come back in name order.
 */
public final class PromiseRunner {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final PartitionExecutor executor;
    private final Duration timeout;
    private final ExecutorService pool;

    public PromiseRunner(PartitionExecutor executor, Duration timeout, ExecutorService pool) {
        this.executor = executor;
        this.timeout = timeout;
        this.pool = pool;
    }

    /** A runner with its own small pool, for one-off use (commands, tests). */
    public static PromiseRunner withOwnPool(Duration timeout) {
        return new PromiseRunner(new PartitionExecutor(), timeout, Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "promise");
            t.setDaemon(true);
            return t;
        }));
    }

    public List<PromiseResult> run(Path partitionDirectory, RunAs who) throws IOException {
        return run(partitionDirectory, who, p -> false);
    }

    /**
     * The same, but the promises {@code skipped} selects are not run (a promise tagged like
     * services stopped on purpose: it would only report what was asked for).
     */
    public List<PromiseResult> run(Path partitionDirectory, RunAs who, java.util.function.Predicate<Path> skipped)
            throws IOException {
        List<Path> promises = PartitionExecutor.executablesIn(partitionDirectory.resolve("etc/promise")).stream()
                .filter(skipped.negate()).toList();
        List<Future<PromiseResult>> running = new ArrayList<>();
        for (Path promise : promises) {
            running.add(pool.submit(() -> runOne(promise, who)));
        }
        List<PromiseResult> results = new ArrayList<>();
        for (Future<PromiseResult> f : running) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof IOException io ? io : new IOException("promise runner failed: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running promises", e);
            }
        }
        return results;
    }

    private PromiseResult runOne(Path promise, RunAs who) {
        Instant at = Instant.now();
        try {
            ExecResult r = executor.run(List.of(promise.toString()), who, Map.of(), timeout);
            return new PromiseResult(promise.getFileName().toString(), r.succeeded(), r.exitCode(), r.timedOut(),
                    r.output(), at, r.took());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
