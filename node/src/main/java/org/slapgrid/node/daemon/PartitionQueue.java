package org.slapgrid.node.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The daemon's work queue of partition ids, as controller-runtime's and java-operator-sdk's
 * are: events {@link #enqueue} a partition (now or after a delay); a bounded pool of workers
 * runs the task for it; a partition is never run twice at once (enqueued while it runs, it runs
 * once more after), is queued at most once however many events arrive (they coalesce), and each
 * run has its own timeout after which its worker is interrupted (which kills its children).
 * Hand-written: java-operator-sdk's queue comes with its Kubernetes client, and what is needed
 * here is these few rules on the JDK's executors.
 *
 * @param <R> what a run returns, handed to those who {@link #request} a run
 */
final class PartitionQueue<R> implements AutoCloseable {

    /** One run: which partition, and whether a caller asked to ignore the skip rule. */
    record Work(String partition, boolean force) {
    }

    private static final class Entry<R> {
        boolean queued;
        boolean running;
        boolean again;
        boolean force;
        ScheduledFuture<?> timer;
        long timerAt;
        List<CompletableFuture<R>> waiting = new ArrayList<>();
    }

    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final Duration timeout;
    private final BiFunction<Work, Throwable, R> task;
    private final Map<String, Entry<R>> entries = new HashMap<>();
    private int busy;
    private long idleRuns;
    private boolean closed;

    /**
     * @param task runs a partition; called with a null throwable, or (to make the result of a
     *             run that threw) with what it threw
     */
    PartitionQueue(int workers, Duration timeout, BiFunction<Work, Throwable, R> task) {
        this.workers = Executors.newFixedThreadPool(workers, daemonThreads("reconcile"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("reconcile-timer"));
        this.timeout = timeout;
        this.task = task;
    }

    /** Runs {@code partition} as soon as a worker is free (coalesced with any run already queued). */
    void enqueue(String partition) {
        enqueue(partition, Duration.ZERO, false);
    }

    /** Runs {@code partition} after {@code delay} (the earliest of the delays asked wins). */
    synchronized void enqueue(String partition, Duration delay, boolean force) {
        if (closed) {
            return;
        }
        Entry<R> e = entries.computeIfAbsent(partition, k -> new Entry<>());
        e.force |= force;
        if (!delay.isZero() && !delay.isNegative()) {
            long at = System.nanoTime() + delay.toNanos();
            if (e.timer != null && !e.timer.isDone() && e.timerAt <= at) {
                return;
            }
            if (e.timer != null) {
                e.timer.cancel(false);
            }
            e.timerAt = at;
            e.timer = timers.schedule(() -> enqueue(partition, Duration.ZERO, false), delay.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        if (e.running) {
            e.again = true;
        } else if (!e.queued) {
            e.queued = true;
            busy++;
            workers.execute(() -> run(partition));
        }
    }

    /** Runs {@code partition} and completes with the result of a run that started after this call. */
    synchronized CompletableFuture<R> request(String partition, boolean force) {
        CompletableFuture<R> f = new CompletableFuture<>();
        entries.computeIfAbsent(partition, k -> new Entry<>()).waiting.add(f);
        enqueue(partition, Duration.ZERO, force);
        return f;
    }

    /** True when nothing is queued or running (delayed runs do not count). */
    synchronized boolean idle() {
        return busy == 0;
    }

    private void run(String partition) {
        boolean force;
        List<CompletableFuture<R>> waiting;
        synchronized (this) {
            Entry<R> e = entries.get(partition);
            e.queued = false;
            e.running = true;
            force = e.force;
            e.force = false;
            waiting = e.waiting;
            e.waiting = new ArrayList<>();
        }
        Thread worker = Thread.currentThread();
        ScheduledFuture<?> watchdog = timers.schedule(worker::interrupt, timeout.toMillis(), TimeUnit.MILLISECONDS);
        R result;
        try {
            result = task.apply(new Work(partition, force), null);
        } catch (RuntimeException | Error t) {
            result = task.apply(new Work(partition, force), t);
        } finally {
            watchdog.cancel(false);
            Thread.interrupted(); // a watchdog that fired late must not hit the next run
        }
        R done = result;
        waiting.forEach(w -> w.complete(done));
        synchronized (this) {
            Entry<R> e = entries.get(partition);
            e.running = false;
            busy--;
            if (e.again) {
                e.again = false;
                enqueue(partition, Duration.ZERO, false);
            }
            if (busy == 0) {
                idleRuns++;
            }
            notifyAll();
        }
    }

    /** How many times the queue ran empty: every partition queued until then has been run. */
    synchronized long settled() {
        return idleRuns;
    }

    /** Waits until {@link #idle()} or the timeout; true when idle. */
    synchronized boolean awaitIdle(Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (busy > 0) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timers.shutdownNow();
        workers.shutdown();
        try {
            // runs in progress may finish (their children are not orphaned); then they are interrupted
            if (!workers.awaitTermination(20, TimeUnit.SECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
