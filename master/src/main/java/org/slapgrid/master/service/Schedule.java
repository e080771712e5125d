package org.slapgrid.master.service;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's one owner of periodic work: each duty (the cluster tick, the scaling driver, the
 * autoscaler, retention, the primary watch, the shared metric writer) registers here at its own
 * rate, and {@link #close} stops them all. A duty never runs twice at once, whether a run comes
 * from its period or from {@link Duty#wake}; a failing run is logged and the next one comes at
 * its time, as each duty's own thread did before.
 *
 * <p>A few threads, not one: a slow duty (retention on a large audit table, an evaluation
 * waiting for the database) must not hold the 250 ms ones back.
 */
public final class Schedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Schedule.class);
    private static final int THREADS = 3;

    private final ScheduledThreadPoolExecutor executor;

    public Schedule() {
        // the executor makes its threads in whichever thread adds a worker, outside its lock: a
        // Duty#wake from a request thread, a registration, a worker replacing itself
        AtomicInteger n = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(THREADS, r -> {
            Thread t = new Thread(r, "slapgrid-schedule-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code body} every {@code period} (between a run's end and the next start), the first after one period. */
    public Duty every(String name, Duration period, Runnable body) {
        return register(name, period, period, body);
    }

    /** As {@link #every}, the first run at once. */
    public Duty nowAndEvery(String name, Duration period, Runnable body) {
        return register(name, Duration.ZERO, period, body);
    }

    private Duty register(String name, Duration first, Duration period, Runnable body) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException(name + ": the period must be positive, not " + period);
        }
        Duty duty = new Duty(name, period, body);
        executor.scheduleWithFixedDelay(duty::run, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return duty;
    }

    /** Stops every duty: a run under way ends (5 s at most, then it is interrupted); none starts after. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** One registered duty. */
    public final class Duty {
        private final String name;
        private final Duration period;
        private final Runnable body;
        private final ReentrantLock running = new ReentrantLock();
        /** A run was asked for since the last one started (coalesces wakes; one that came during a run runs after it). */
        private final AtomicBoolean again = new AtomicBoolean();

        private Duty(String name, Duration period, Runnable body) {
            this.name = name;
            this.period = period;
            this.body = body;
        }

        /** Runs the duty soon, besides its period (something it waits for happened). No-op once closed. */
        public void wake() {
            try {
                executor.execute(this::run);
            } catch (RejectedExecutionException e) {
                // closed: the master is stopping
            }
        }

        private void run() {
            again.set(true);
            // whoever holds the lock runs again for a request that came while it ran
            while (again.get() && running.tryLock()) {
                try {
                    again.set(false);
                    body.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} failed (tried again in {} ms): {}", name, period.toMillis(), e.toString(), e);
                } finally {
                    running.unlock();
                }
            }
        }

        @Override
        public String toString() {
            return name + " every " + period.toMillis() + " ms";
        }
    }
}
