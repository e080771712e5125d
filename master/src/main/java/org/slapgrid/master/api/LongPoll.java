package org.slapgrid.master.api;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waits, without holding a thread, until a node's version differs from the one the node knows,
 * or the deadline passes. Woken at once by the in-process notifier; re-checks the database every
 * {@code recheck} so that a change made through another master is seen too.
 */
final class LongPoll {
    private final ChangeNotifier notifier;
    private final Duration recheck;
    private final Executor executor;

    LongPoll(ChangeNotifier notifier, Duration recheck, Executor executor) {
        this.notifier = notifier;
        this.recheck = recheck;
        this.executor = executor;
    }

    /** Completes with the new version, or with {@code known} when nothing changed before the deadline. */
    CompletableFuture<Long> await(String nodeId, long known, Duration wait, Supplier<OptionalLong> version) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + wait.toNanos();
        step(nodeId, known, deadline, version, result);
        return result;
    }

    private void step(String nodeId, long known, long deadline, Supplier<OptionalLong> version, CompletableFuture<Long> result) {
        CompletableFuture<Void> woken = notifier.subscribe(nodeId);
        try {
            long now = version.get().orElse(known);
            long left = deadline - System.nanoTime();
            if (now != known || left <= 0) {
                notifier.forget(nodeId, woken);
                result.complete(now);
                return;
            }
            woken.completeOnTimeout(null, Math.min(left, recheck.toNanos()), TimeUnit.NANOSECONDS)
                    .whenCompleteAsync((v, e) -> {
                        notifier.forget(nodeId, woken);
                        step(nodeId, known, deadline, version, result);
                    }, executor);
        } catch (RuntimeException e) {
            notifier.forget(nodeId, woken);
            result.completeExceptionally(e);
        }
    }
}
