package org.slapgrid.node.supervisor.crash;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slapgrid.node.supervisor.ProgramSpec;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.SupervisorException;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.SupervisorUnreachable;
import org.slapgrid.node.supervisor.rpc.XmlRpcFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees every crash of the node's programs, restarts watched services with capped exponential
 * backoff, and reports crashes, rate-limited, to a {@link CrashListener}. What to restart when
 * is the {@link RestartDuty}'s (the supervisor's one owner of it); this class polls, calls
 * supervisord and reports.
 *
 * <p>Why polling getAllProcessInfo rather than an {@code [eventlistener]}: every program is
 * generated with {@code autorestart=false} and {@code startretries=0}, so supervisord never
 * restarts anything by itself and an exit is sticky: the program stays EXITED or FATAL until the
 * node starts it, and a poll cannot miss it however short-lived the process was. Each exit is
 * identified by its (start, stop) times, forgotten once the program is seen alive again, so one
 * exit is reported once and a new one is never mistaken for an old one. A 250 ms poll over the
 * local socket costs supervisord about a millisecond, sees a crash well within the one-second
 * target, needs no helper process inside supervisord nor a second channel into the node, and
 * also finds the crashes that happened while the node itself was down. An event listener would
 * gain a few hundred milliseconds at the price of a Python helper whose buffer drops events
 * when full and whose events are lost when the node is not there to receive them.
 */
public final class CrashWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CrashWatcher.class);

    private final Supervisor supervisor;
    private final CrashListener listener;
    private final WatchSettings settings;
    private final Clock clock;
    private final CrashRateLimiter limiter;
    /** The restart bookkeeping: the supervisor's, so there is one owner of it. */
    private final RestartDuty restarts;
    private final AtomicLong polls = new AtomicLong();
    private volatile boolean closing;
    /**
     * Held while supervisord is being revived, and by {@link #close()} while it marks the watcher
     * closing: a revival either ends before close goes on, or never starts.
     */
    private final Object reviving = new Object();
    private ScheduledExecutorService scheduler;
    /**
     * Reports go out on their own thread, in order: a listener that calls an unreachable master
     * must not hold up the polls and restarts. The rate limit bounds what can queue up.
     */
    private ExecutorService delivery;

    public CrashWatcher(Supervisor supervisor, CrashListener listener, WatchSettings settings) {
        this(supervisor, listener, settings, Clock.systemUTC());
    }

    CrashWatcher(Supervisor supervisor, CrashListener listener, WatchSettings settings, Clock clock) {
        this.supervisor = supervisor;
        this.listener = listener;
        this.settings = settings;
        this.clock = clock;
        this.limiter = new CrashRateLimiter(settings.rateLimit());
        this.restarts = supervisor.restartDuty();
    }

    /** Starts polling on a daemon thread. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "supervisor-crash-watcher");
            t.setDaemon(true);
            return t;
        });
        closing = false;
        delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "supervisor-crash-reports");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::pollSafely, 0, settings.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        restarts.drive(settings.restartPolicy());
    }

    @Override
    public synchronized void close() {
        synchronized (reviving) {
            closing = true; // an RPC interrupted by the shutdown must not look like a dead supervisord
        }
        if (scheduler != null) {
            restarts.release();
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
            delivery.shutdown(); // reports already queued still go out
            try {
                delivery.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivery = null;
        }
    }

    private void pollSafely() {
        try {
            pollOnce();
        } catch (SupervisorUnreachable e) {
            if (closing || Thread.currentThread().isInterrupted()) {
                return;
            }
            if (settings.reviveSupervisord()) {
                revive(e);
            } else {
                LOG.warn("supervisord does not answer: {}", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("crash watcher poll failed", e);
        }
    }

    /** Starts supervisord again, unless the watcher is closing (then whoever closes it owns supervisord). */
    private void revive(SupervisorUnreachable why) {
        synchronized (reviving) {
            if (closing) {
                return;
            }
            LOG.warn("supervisord does not answer ({}); starting it", why.getMessage());
            try {
                supervisor.ensureRunning();
            } catch (RuntimeException again) {
                LOG.error("cannot restart supervisord: {}", again.getMessage());
            }
        }
    }

    /** One look at supervisord: detect exits, report them, and run the restarts that are due. */
    void pollOnce() {
        Map<String, Supervisor.Managed> managed = supervisor.managedPrograms();
        List<ProcessInfo> infos = supervisor.client().getAllProcessInfo();
        Instant now = clock.instant();
        for (RestartDuty.Exit e : restarts.observe(managed, infos, now)) {
            ProgramSpec spec = e.program().spec();
            report(new CrashReport(spec.name(), spec.partitionId(), spec.scriptName(), spec.kind(),
                    e.neverStarted() ? null : e.info().exitStatus(), e.info().spawnError(), logTail(e.info().spec()),
                    e.ranFor(), e.restartIn(), now));
        }
        for (CrashSummary s : limiter.expired(now)) {
            deliver(s);
        }
        restartDue(managed, now);
        polls.incrementAndGet();
    }

    /** How many polls completed; lets callers wait until the watcher has seen a given state. */
    public long polls() {
        return polls.get();
    }

    private void report(CrashReport report) {
        boolean[] reported = {false};
        for (CrashSummary s : limiter.onCrash(report, reported)) {
            deliver(s);
        }
        if (reported[0]) {
            LOG.warn("crash: {}", report.summary());
            callListener(() -> listener.crashed(report), report.program());
        } else {
            LOG.debug("crash (not reported, rate limit): {}", report.summary());
        }
    }

    /** Starts what is due, outside the duty's lock (an RPC each), and tells the duty what came of it. */
    private void restartDue(Map<String, Supervisor.Managed> managed, Instant now) {
        for (RestartDuty.Due d : restarts.due(managed, now)) {
            Supervisor.Managed m = d.program();
            try {
                supervisor.client().startProcess(m.spec().spec(), false);
                restarts.restarted(m.spec().name());
                callListener(() -> listener.restarted(m.spec().partitionId(), m.spec().name()), m.spec().name());
            } catch (XmlRpcFault f) {
                switch (f.faultCode()) {
                    // SPAWN_ERROR: it was spawned and failed; the next poll sees that new exit.
                    // ALREADY_STARTED: started meanwhile; BAD_NAME: removed meanwhile.
                    case XmlRpcFault.SPAWN_ERROR, XmlRpcFault.ALREADY_STARTED, XmlRpcFault.BAD_NAME ->
                            LOG.debug("restart of {}: {}", m.spec().name(), f.faultString());
                    default -> {
                        Duration restartIn = restarts.refused(d, now);
                        ProgramSpec spec = m.spec();
                        report(new CrashReport(spec.name(), spec.partitionId(), spec.scriptName(), spec.kind(), null,
                                f.faultString(), logTail(spec.spec()), Duration.ZERO, restartIn, now));
                    }
                }
            }
        }
    }

    private String logTail(String processSpec) {
        if (settings.logTailBytes() == 0) {
            return "";
        }
        try {
            return supervisor.client().tailProcessStdoutLog(processSpec, settings.logTailBytes());
        } catch (SupervisorException e) {
            return "";
        }
    }

    private void deliver(CrashSummary summary) {
        LOG.warn("crashes not reported one by one: {}", summary.summary());
        callListener(() -> listener.crashesSuppressed(summary), summary.program());
    }

    /** Runs a listener call on the delivery thread (inline when polled by hand, in tests). */
    private void callListener(Runnable call, String program) {
        Runnable safe = () -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.error("crash listener failed on {}", program, e);
            }
        };
        ExecutorService d = delivery;
        if (d == null) {
            safe.run();
        } else {
            try {
                d.execute(safe);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                safe.run();
            }
        }
    }

    /** How many times the watcher restarted a program after a crash (since it was last (re)created). */
    public int restarts(String program) {
        return restarts.restarts(program);
    }

    /** The restart backoff state of a program, for status displays: consecutive crashes. */
    public int consecutiveCrashes(String program) {
        return restarts.consecutiveCrashes(program);
    }
}
