package org.slapgrid.node.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slapgrid.node.Node;
import org.slapgrid.node.compliance.ComplianceRun;
import org.slapgrid.node.compliance.ComplianceSchedule;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.instance.Reconciled;
import org.slapgrid.node.metrics.MetricSettings;
import org.slapgrid.node.metrics.MetricsStep;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyState;
import org.slapgrid.node.supervisor.crash.CrashWatcher;

/**
 * {@code slapos node daemon}: an event source, and a reconciler per partition. Events only
 * enqueue partition ids in a {@link PartitionQueue}: the master's long-poll (running all the
 * time, also while partitions converge: a partition is queued when what the master wants of it
 * changed), the control socket ({@code slapos node instance}), a periodic timer (promises and
 * periodicity), a service crash, the end of a release's build. A bounded pool reconciles each
 * queued partition ({@link org.slapgrid.node.instance.PartitionReconciler}), never two at once
 * for one partition, each with its own timeout, and sends its report once. After a failure only
 * that partition backs off (its own {@link Backoff}, reset on success). Software releases build
 * on their own {@link SoftwareWorkers}: an instance waits for its own release only. After each
 * reconcile the partition's status tree goes to the master when it changed ({@link StatusReporter}).
 * The same timer samples the partitions' metrics ({@link MetricsStep}).
 * {@link #stop()} (SIGTERM) lets running reconciles finish for a while (those only queued do not
 * start), and {@link #run()} returns once every worker it started has ended (none is left to
 * touch supervisord afterwards); the services stay with supervisord, so a restarted daemon takes
 * them over without restarting them.
 */
public final class NodeDaemon {

    private static final Backoff MASTER_BACKOFF = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1));
    /** A partition that failed is tried again after this, doubling up to 5 minutes. */
    static final Backoff PARTITION_BACKOFF = Backoff.of(Duration.ofSeconds(5), Duration.ofMinutes(5));
    /** A partition's status tree goes to the master when it changes, at most this often. */
    static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);

    private final Node node;
    private final Duration pollWait;
    private final Duration period;
    private final Backoff partitionBackoff;
    private final Backoff buildBackoff;
    private final Consumer<String> log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Counted down when {@link #run()} returns: what a SIGTERM waits for (not the thread's end, see {@link #stopOnShutdown}). */
    private final CountDownLatch returned = new CountDownLatch(1);
    private final AtomicReference<NodeInfo> desired = new AtomicReference<>();
    /** What the master wanted of each partition when it was last queued for a change. */
    private final Map<String, String> queuedFor = new ConcurrentHashMap<>();
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();
    private final Set<String> reportedOnce = ConcurrentHashMap.newKeySet();
    /** Each release's instance-profile digest, kept across reconciles (see PartitionReconciler.reconcile). */
    private final Map<java.nio.file.Path, String> releaseDigests = new ConcurrentHashMap<>();
    private volatile Map<String, Partition> formatted = Map.of();
    private volatile PartitionQueue<PartitionOutcome> queue;
    private volatile SoftwareWorkers software;
    private volatile Thread poller;
    private volatile CrashWatcher watcher;
    private volatile ScheduledExecutorService timer;
    private final StatusReporter status;
    private volatile MetricSettings metricSettings = MetricSettings.DEFAULTS;

    /** @param pollWait the longest wait of one long-poll, and the period of the promise timer */
    public NodeDaemon(Node node, Duration pollWait, Consumer<String> log) {
        this(node, pollWait, pollWait, PARTITION_BACKOFF, log);
    }

    /**
     * @param period           how often every partition is looked at again without an event
     *                         (its promises run; its periodicity is honoured)
     * @param partitionBackoff the backoff of a failing partition
     */
    public NodeDaemon(Node node, Duration pollWait, Duration period, Backoff partitionBackoff, Consumer<String> log) {
        this(node, pollWait, period, partitionBackoff, SoftwareWorkers.BUILD_BACKOFF, log);
    }

    /** @param buildBackoff the backoff of a release whose build fails (each release its own) */
    public NodeDaemon(Node node, Duration pollWait, Duration period, Backoff partitionBackoff, Backoff buildBackoff,
                      Consumer<String> log) {
        this.node = node;
        this.buildBackoff = buildBackoff;
        this.pollWait = pollWait;
        this.period = period;
        this.partitionBackoff = partitionBackoff;
        this.log = log;
        this.status = new StatusReporter(node.master(), node.config().nodeId(), node.supervisor(), STATUS_INTERVAL, log);
        org.slapgrid.node.compliance.ComplianceJob compliance = new org.slapgrid.node.compliance.ComplianceJob(node.config(),
                node.limits(), log);
        this.nodeJobs = new org.slapgrid.node.jobs.NodeJobRunner(node.master(), node.config().nodeId(), log)
                .register(new org.slapgrid.node.jobs.NodeJobRunner.Kind() {
                    @Override
                    public String name() {
                        return org.slapgrid.node.compliance.ComplianceJob.KIND;
                    }

                    @Override
                    public org.slapgrid.node.jobs.JobOutcome run(org.slapgrid.slap.model.PartitionJob job) throws IOException {
                        return compliance.runNodeLevel(job, node.master(), node.partitions());
                    }
                });
    }

    /** How this daemon samples its partitions' metrics (before {@link #run()}; default every 60 s). */
    public NodeDaemon withMetrics(MetricSettings settings) {
        this.metricSettings = settings;
        return this;
    }

    /** How many times every queued partition had been reconciled (the queue ran empty), for status and tests. */
    public long iterations() {
        PartitionQueue<PartitionOutcome> q = queue;
        return q == null ? 0 : q.settled();
    }

    /** Runs until {@link #stop()}: this thread long-polls the master. */
    public void run() {
        try {
            loop();
        } finally {
            returned.countDown();
        }
    }

    private void loop() {
        poller = Thread.currentThread();
        String nodeId = node.config().nodeId();
        log.accept("node " + nodeId + ": daemon started, master " + node.config().masterUrl());
        int workers = Math.max(4, 2 * node.config().parallelism());
        Duration timeout = node.config().partitionTimeout().plusMinutes(5);
        ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                PartitionQueue.daemonThreads("daemon-timer"));
        this.timer = timer;
        // compliance modules may run for minutes: a timer of their own, so the partitions' timer never waits
        ScheduledExecutorService complianceTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                PartitionQueue.daemonThreads("daemon-compliance"));
        this.complianceTimer = complianceTimer;
        try (PartitionQueue<PartitionOutcome> q = new PartitionQueue<>(workers, timeout, this::reconcile);
             SoftwareWorkers sw = new SoftwareWorkers(node.softwareInstaller(), Math.max(1, node.config().parallelism() / 2),
                     buildBackoff, log);
             MetricsStep metrics = new MetricsStep(node.master(), nodeId, node.limits(), metricSettings, node.config().multiUser(), log)) {
            queue = q;
            software = sw;
            node.confine(org.slapgrid.node.format.NodeFormatter.formatted(node.config())); // before any service starts
            // supervisord up before the crash watcher's first poll, which would otherwise start it (unconfined, as a revival)
            node.supervisor().ensureRunning();
            try (CrashWatcher crashes = node.watchCrashes(p -> {
                     status.processesChanged(); // the next tree asks supervisord afresh
                     q.enqueue(p);
                 });
                 ControlSocket control = ControlSocket.listen(ControlSocket.pathFor(node.config()), this::askedRound, log)) {
                watcher = crashes;
                timer.scheduleWithFixedDelay(this::everyPartition, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
                if (metricSettings.enabled()) {
                    long every = metricSettings.interval().toMillis();
                    timer.scheduleWithFixedDelay(() -> metrics.offer(hosting()), every, every, TimeUnit.MILLISECONDS);
                }
                ComplianceSchedule compliance = complianceEvery == null ? ComplianceSchedule.of(node.config())
                        : ComplianceSchedule.of(node.config(), complianceEvery);
                if (compliance.enabled()) {
                    complianceTimer.scheduleWithFixedDelay(() -> complianceIfDue(compliance), 0, compliance.tick().toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                poll(nodeId);
                // stop()'s interrupt was for the long-poll only: left set, it made every close below return at
                // once (awaitTermination throws), and the reconciles, crash watcher and timers outlived run()
                Thread.interrupted();
                stopTimers(timer, complianceTimer); // no new event once stopping (then the watcher, the socket, the queue)
            }
        } catch (IOException e) {
            log.accept("node " + nodeId + ": cannot open the control socket: " + e.getMessage());
        } finally {
            timer.shutdownNow();
            complianceTimer.shutdownNow();
        }
        log.accept("node " + nodeId + ": daemon stopped; services left running under supervisord");
    }

    /**
     * Stops the timers and waits for a tick in progress (a metrics round's hand-over, a compliance
     * run): nothing they start may outlive {@link #run()}.
     */
    private void stopTimers(ScheduledExecutorService... timers) {
        for (ScheduledExecutorService t : timers) {
            t.shutdownNow();
        }
        try {
            for (ScheduledExecutorService t : timers) {
                if (!t.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.accept("node " + node.config().nodeId() + ": a timer task did not end within 30 s of the stop");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The long-poll, continuously: every new node document becomes events. */
    private void poll(String nodeId) {
        Backoff backoff = MASTER_BACKOFF;
        boolean unreachable = false;
        while (stopped.getCount() > 0) {
            try {
                NodeInfo last = desired.get();
                Optional<NodeInfo> changed = node.master().nodeInfo(nodeId, last == null ? -1 : last.version(),
                        last == null ? Duration.ZERO : pollWait);
                if (unreachable) {
                    log.accept("node " + nodeId + ": the master answers again");
                    unreachable = false;
                }
                backoff = backoff.reset();
                changed.ifPresent(this::observe);
            } catch (RuntimeException e) {
                if (stopped.getCount() == 0) {
                    break;
                }
                unreachable = true;
                backoff = backoff.failed();
                log.accept("node " + nodeId + ": " + e.getMessage() + "; services keep running; retrying in "
                        + backoff.delay().toSeconds() + " s");
                if (await(backoff.delay())) {
                    break;
                }
            }
        }
    }

    /** A new node document: queue the releases and the partitions whose desired state changed. */
    private synchronized void observe(NodeInfo info) {
        NodeInfo previous = desired.get();
        if (previous != null && previous.version() >= info.version()) {
            return; // an older answer (the control socket fetched a newer one meanwhile)
        }
        desired.set(info);
        buildWhatIsMissing(info);
        runNodeJobs(info);
        for (PartitionInfo p : info.partitions()) {
            String wanted = desiredKey(p);
            if (!Objects.equals(queuedFor.put(p.id(), wanted), wanted) && (p.instance() != null || previous != null)) {
                queue.enqueue(p.id());
            }
        }
    }

    /**
     * What the master wants of a partition, without what it observed: the instance and its
     * timestamp (bumped by every change the node must act on) and those of its shared instances.
     */
    private static String desiredKey(PartitionInfo p) {
        if (p.instance() == null) {
            return "free";
        }
        StringBuilder k = new StringBuilder(p.instance().id()).append('@').append(p.instance().timestamp());
        for (Instance s : p.sharedInstances()) {
            k.append(',').append(s.id()).append('@').append(s.timestamp());
        }
        p.jobs().forEach(j -> k.append(",job:").append(j.id())); // a new job is an event for its partition
        return k.toString();
    }

    /**
     * Starts the builds and removals the supplies ask for; their partitions are queued when a
     * build ends (they build or report its failure), and a failed build is tried again when its
     * own backoff has elapsed.
     */
    private void buildWhatIsMissing(NodeInfo info) {
        for (SoftwareSupply s : info.software()) {
            if (software.needsWork(s)) {
                CompletableFuture<SoftwareOutcome> build = software.ensure(s);
                if (!build.isDone()) {
                    build.thenAccept(o -> builtOrFailed(s.url(), o));
                }
            }
        }
    }

    private void builtOrFailed(String url, SoftwareOutcome o) {
        partitionsOf(url).forEach(queue::enqueue);
        ScheduledExecutorService t = timer;
        if (o.kind() == SoftwareOutcome.Kind.FAILED && t != null) {
            software.retryIn(url).ifPresent(delay -> {
                try {
                    // in nanoseconds and 1 ms late: a retry that fired before the backoff ended would find the failure and never retry again
                    t.schedule(this::retryBuilds, delay.toNanos() + 1_000_000, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the daemon stops: the next one builds it
                }
            });
        }
    }

    private void retryBuilds() {
        NodeInfo info = desired.get();
        if (info != null) {
            buildWhatIsMissing(info);
        }
    }

    /** The compliance step: {@code auto} when the schedule says it is due (docs/compliance.md); results go to the master. */
    private void complianceIfDue(ComplianceSchedule schedule) {
        java.time.Instant now = java.time.Instant.now();
        if (!schedule.due(now)) {
            return;
        }
        try {
            ComplianceRun.Summary s = ComplianceRun.of(node, log).run(
                    new ComplianceRun.Selection(org.slapgrid.slap.model.Compliance.Action.auto, null, null), node.partitions());
            schedule.ran(now);
            log.accept("node " + node.config().nodeId() + ": compliance auto: " + s.modules().size() + " modules, "
                    + s.modules().stream().filter(m -> !m.ok()).count() + " not ok");
        } catch (IOException | RuntimeException e) {
            log.accept("node " + node.config().nodeId() + ": compliance auto failed (tried again at the next tick): " + e.getMessage());
        }
    }

    private volatile Duration complianceEvery;
    private volatile ScheduledExecutorService complianceTimer;
    private final org.slapgrid.node.jobs.NodeJobRunner nodeJobs;

    /**
     * The node-level jobs of a new document (a compliance run the master asked for), on the
     * compliance timer: one at a time with the scheduled {@code auto}, never holding up the partitions.
     */
    private void runNodeJobs(NodeInfo info) {
        ScheduledExecutorService t = complianceTimer;
        if (info.jobs().isEmpty() || t == null) {
            return;
        }
        try {
            t.execute(() -> nodeJobs.runPending(info.jobs()));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the daemon stops: the job stays open at the master and the next daemon runs it
        }
    }

    /** Runs compliance {@code auto} this often instead of {@code [slapos] compliance_interval} (tests). */
    public NodeDaemon complianceEvery(Duration every) {
        this.complianceEvery = every;
        return this;
    }

    /** The periodic timer: every partition hosting an instance is looked at (promises, periodicity), failed builds retried. */
    private void everyPartition() {
        NodeInfo info = desired.get();
        if (info != null) {
            buildWhatIsMissing(info);
            info.partitions().stream().filter(p -> p.instance() != null).forEach(p -> queue.enqueue(p.id()));
        }
    }

    /** The partitions hosting an instance that is not being destroyed: those whose metrics are sampled. */
    private List<Partition> hosting() {
        NodeInfo info = desired.get();
        return info == null ? List.of() : info.partitions().stream()
                .filter(p -> p.instance() != null && p.instance().requestedState() != RequestedState.DESTROYED)
                .map(p -> formattedPartition(p.id())).filter(Objects::nonNull).toList();
    }

    private List<String> partitionsOf(String url) {
        NodeInfo info = desired.get();
        return info == null ? List.of() : info.partitions().stream()
                .filter(p -> p.instance() != null && url.equals(p.instance().softwareUrl())).map(PartitionInfo::id).toList();
    }

    /** One partition, on a worker of the queue: reconcile, report once, schedule what comes next. */
    private PartitionOutcome reconcile(PartitionQueue.Work work, Throwable failedWith) {
        String id = work.partition();
        if (stopped.getCount() == 0) {
            return null; // queued before the stop: left to the next daemon (its first document queues every partition)
        }
        NodeInfo info = desired.get();
        PartitionInfo p = info == null ? null : info.partitions().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        if (p == null || p.instance() == null) {
            return null; // free (or unknown): nothing to do
        }
        if (failedWith != null) {
            log.accept(id + ": reconcile failed: " + failedWith);
            retryLater(id);
            return new PartitionOutcome(id, PartitionOutcome.Kind.FAILED, failedWith.toString());
        }
        Instance instance = p.instance();
        if (instance.requestedState() != RequestedState.DESTROYED && !software.built(instance.softwareUrl())) {
            Optional<SoftwareSupply> supply = info.software().stream()
                    .filter(s -> s.url().equals(instance.softwareUrl()) && s.requestedState() == SupplyState.AVAILABLE).findFirst();
            if (supply.isPresent()) {
                CompletableFuture<SoftwareOutcome> build = software.ensure(supply.get());
                if (!build.isDone()) {
                    build.thenAccept(o -> builtOrFailed(instance.softwareUrl(), o));
                    return logged(new PartitionOutcome(id, PartitionOutcome.Kind.WAITING, "release being built"));
                }
                Optional<SoftwareOutcome> failed = software.failedBuild(instance.softwareUrl());
                if (failed.isPresent()) {
                    // the instance says why it cannot run, and waits (no backoff of its own): the end of
                    // its release's next build queues it
                    String msg = "software release " + instance.softwareUrl() + " failed to build on this node: "
                            + failed.get().detail();
                    Reconciled r = Reconciled.failed(id, msg, msg);
                    node.converger().reports().send(id, instance, r);
                    return logged(r.outcome());
                }
                // built meanwhile: the reconcile runs
            }
        }
        Partition partition = formattedPartition(id);
        Reconciled r = node.converger().reconciler().reconcile(p, partition, work.force(), releaseDigests);
        // reported on the instance as seen when this run began: the report answers that timestamp
        node.converger().reports().send(id, instance, r);
        if (partition != null && !p.jobs().isEmpty() && r.outcome().kind() != PartitionOutcome.Kind.FAILED
                && r.outcome().kind() != PartitionOutcome.Kind.DESTROYED) {
            // the jobs step: after the partition converged (a restore's etc/restore exists, its services run)
            node.jobs().runPending(p, partition).forEach(line -> log.accept(id + ": " + line));
        }
        if (r.outcome().kind() == PartitionOutcome.Kind.DESTROYED) {
            status.forget(id);
        } else if (partition != null) {
            PartitionStatus tree = status.observe(id, node.converger().reconciler().lastPromises(partition),
                    r.state() == InstanceState.ERROR ? r.message() : null, watcher,
                    r.outcome().kind() != PartitionOutcome.Kind.SKIPPED, node.converger().reconciler().lastHolds(id));
            Duration wait = status.offer(id, tree);
            if (!wait.isZero()) {
                queue.enqueue(id, wait, false); // changed too soon after the last one: sent then
            }
        }
        if (r.failed()) {
            retryLater(id);
        } else {
            backoffs.remove(id);
            if (r.requeueAfter() != null) {
                queue.enqueue(id, r.requeueAfter(), false);
            }
        }
        return logged(r.outcome());
    }

    private void retryLater(String id) {
        Backoff b = backoffs.merge(id, partitionBackoff.failed(), (old, x) -> old.failed());
        log.accept(id + ": next attempt in " + b.delay().toSeconds() + " s");
        queue.enqueue(id, b.delay(), false);
    }

    /** Logs an outcome unless it is a skip already logged once. */
    private PartitionOutcome logged(PartitionOutcome o) {
        if (o.kind() != PartitionOutcome.Kind.SKIPPED || reportedOnce.add(o.partition())) {
            log.accept(o.toString());
        }
        return o;
    }

    private Partition formattedPartition(String id) {
        Partition p = formatted.get(id);
        if (p == null) {
            try {
                Map<String, Partition> fresh = new HashMap<>();
                node.partitions().forEach(x -> fresh.put(x.id(), x));
                formatted = fresh;
            } catch (IOException | RuntimeException e) {
                return null; // the reconcile reports the partition as not formatted
            }
            p = formatted.get(id);
        }
        return p;
    }

    /**
     * A round asked for by {@code slapos node instance} through the control socket: the selected
     * partitions are queued like any event, and the answer waits for their runs.
     */
    private List<PartitionOutcome> askedRound(InstanceConverger.Selection selection) {
        observe(node.master().nodeInfo(node.config().nodeId()));
        List<CompletableFuture<PartitionOutcome>> runs = new ArrayList<>();
        for (PartitionInfo p : desired.get().partitions()) {
            if (p.instance() != null && selection.includes(p.id())) {
                runs.add(queue.request(p.id(), selection.force()));
            }
        }
        List<PartitionOutcome> out = new ArrayList<>();
        for (CompletableFuture<PartitionOutcome> f : runs) {
            try {
                PartitionOutcome o = f.get(node.config().partitionTimeout().toMillis() + 600_000, TimeUnit.MILLISECONDS);
                if (o != null) {
                    out.add(o);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new UncheckedIOException(new IOException("a partition did not finish: " + e, e));
            }
        }
        return out;
    }

    /** Waits, or returns true at once when stopped meanwhile. */
    private boolean await(Duration d) {
        try {
            return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Makes SIGTERM (JVM shutdown) stop the daemon cleanly: {@link #run()}, called next, returns
     * and the JVM waits up to 30 s for that, leaving the services to supervisord. It waits for
     * run() to return, not for its thread to end: that thread goes on into {@code System.exit},
     * which waits for this hook (joining it held every SIGTERM for the whole 30 s).
     */
    public NodeDaemon stopOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop();
            try {
                returned.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sigterm"));
        return this;
    }

    /** Asks the daemon to stop; a long-poll in progress is interrupted. */
    public void stop() {
        stopped.countDown();
        Thread w = poller;
        if (w != null) {
            w.interrupt();
        }
    }
}
