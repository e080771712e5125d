package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.slapgrid.node.buildout.BuildoutProcess;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.drain.Drain;
import org.slapgrid.node.drain.DrainResult;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.node.promise.PromiseRunner;
import org.slapgrid.node.promise.PromiseState;
import org.slapgrid.node.scaling.DataDisks;
import org.slapgrid.node.scaling.MemberResourcesStep;
import org.slapgrid.node.software.ReleasePlace;
import org.slapgrid.recipes.slap.InstanceConfiguration;
import org.slapgrid.recipes.slap.InstanceFile;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.node.io.PartitionStateDirectory;

/**
 * Brings one partition to what the master asks, level-triggered: observe (its inputs, its
 * convergence record), decide (the pure skip rule of {@link ConvergenceRecord}), act (write its
 * profile, run its buildout as the partition's user with a timeout, put its services under the
 * supervisor, run its promises; or drain, uninstall and wipe it) and return a {@link Reconciled}:
 * what happened and the state to report. It sends no report itself: its caller sends the report
 * once ({@link ReportSender}), so a report is never repeated. Never called twice at once for one
 * partition (the daemon's queue and the round both guarantee it); a failure in one partition
 * never touches another.
 */
public final class PartitionReconciler {

    private static final int REPORT_TAIL = 4000;
    /**
     * Right after its services were (re)started, an instance gets this long for its promises to
     * be kept: a server needs a moment to listen, and failing a run for that would make every
     * first deployment look broken.
     */
    static final Duration PROMISE_GRACE = Duration.ofSeconds(20);
    private static final Duration PROMISE_RETRY = Duration.ofMillis(500);

    private final NodeConfig config;
    private final SlapClient master;
    private final PartitionServices services;
    private final BuildoutProcess buildout;
    private final PromiseRunner promises;
    private final Drain drain;
    private final PartitionExecutor executor;
    private final PartitionLimiter limits;
    private final Clock clock;
    /** Per partition, what its last reconcile held stopped on purpose, and why: its status says so. */
    private final Map<String, ServiceHolds> holdsSeen = new java.util.concurrent.ConcurrentHashMap<>();
    private final Consumer<String> log;
    private final java.util.concurrent.Semaphore buildoutSlots;
    private final MemberResourcesStep resources;

    public PartitionReconciler(NodeConfig config, SlapClient master, PartitionServices services, BuildoutProcess buildout,
                             PromiseRunner promises, Drain drain, PartitionExecutor executor, PartitionLimiter limits,
                             Clock clock, Consumer<String> log) {
        this.config = config;
        this.master = master;
        this.services = services;
        this.buildout = buildout;
        this.promises = promises;
        this.drain = drain;
        this.executor = executor;
        this.limits = limits;
        this.clock = clock;
        this.log = log;
        this.buildoutSlots = new java.util.concurrent.Semaphore(Math.max(1, config.parallelism()));
        this.resources = new MemberResourcesStep(limits, new DataDisks(config.stateDirectory(), executor, config.multiUser()),
                clock, log);
    }

    /**
     * Reconciles the partition {@code p} describes (it must host an instance).
     *
     * @param releases a release's instance-profile digest by profile path, shared by the
     *                 partitions of one round or by every reconcile of a daemon (a fresh map
     *                 re-reads it; a rebuilt release is read again, its marker having changed)
     */
    public Reconciled reconcile(PartitionInfo p, Partition partition, boolean force, Map<Path, String> releases) {
        return convergeSafely(p, partition, force, releases);
    }

    private Reconciled convergeSafely(PartitionInfo p, Partition partition, boolean force, Map<Path, String> releases) {
        if (partition == null) {
            String msg = "partition " + p.id() + " is not formatted on this node: run `slapos node format`";
            return Reconciled.failed(p.id(), msg, msg);
        }
        try {
            // before anything of the partition runs: its cgroup, with its limits
            limits.prepare(partition.id());
            return p.instance().requestedState() == RequestedState.DESTROYED
                    ? destroy(p.instance(), partition)
                    : converge(p.instance(), partition, force, releases);
        } catch (IOException | RuntimeException e) {
            String msg = "node error while converging: " + describe(e);
            log.accept(p.id() + ": " + msg);
            return Reconciled.failed(p.id(), msg, msg);
        }
    }

    /**
     * An I/O error says what failed in its message; anything else is a defect of the node, whose
     * message may be empty (a NullPointerException's): its class and where it was thrown say more.
     */
    static String describe(Exception e) {
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        StackTraceElement[] at = e.getStackTrace();
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + (at.length == 0 ? "" : " at " + at[0]);
    }

    private Reconciled converge(Instance instance, Partition partition, boolean force, Map<Path, String> releases)
            throws IOException {
        String id = partition.id();
        PartitionStateDirectory state = stateOf(partition);
        ReleasePlace release = ReleasePlace.of(config, instance.softwareUrl());
        Path instanceProfile = release.built() ? release.instanceProfile().orElse(null) : null;
        if (instanceProfile == null) {
            String msg = !release.built()
                    ? "software release " + instance.softwareUrl() + " is not built on this node yet"
                    : "software release " + instance.softwareUrl() + " has no instance profile (instance.cfg) in " + release.tree();
            return Reconciled.failed(id, msg, msg);
        }
        List<String> badParameters = new NodeParameters(instance.parameters()).problems();
        if (!badParameters.isEmpty()) {
            // refused before anything runs: the requester learns it now, not when destruction would hang
            String msg = String.join("\n", badParameters);
            return Reconciled.failed(id, msg, msg);
        }
        boolean started = instance.requestedState() == RequestedState.STARTED;
        if (instance.cluster() != null) {
            // a member's limits and disks, before its buildout and whether or not it converges
            resources.apply(instance, partition, this::partitionUser);
        }
        String profile = PartitionProfile.render(new PartitionProfile.Inputs(instanceProfile, partition.directory(),
                config.nodeId(), id, config.masterUrl(), instance.softwareUrl(), instance.softwareType(),
                instance.requestedState().json(), partition.ipv4(), state.instanceFile()));
        String instanceJson = instanceJson(instance, partition);
        String digest = releaseDigest(releases, release, instanceProfile);
        PartitionInputs inputs = new PartitionInputs(instance.softwareUrl(), instance.softwareType(),
                instance.parameters() == null ? Map.of() : instance.parameters(), instance.requestedState().json(),
                digest, profile + instanceJson + instance.id());

        Optional<String> reason = ConvergenceRecord.reasonToConverge(ConvergenceRecord.load(state.convergedFile()),
                inputs.hash(), clock.instant(), config.periodicity(), force);
        // what is held stopped on purpose: the master's stops by tag, this node's own, a failover standby's
        ServiceHolds holds = ServiceHolds.of(instance, LocalTagRules.load(config.stateDirectory(), id));
        holdsSeen.put(id, holds);
        if (reason.isEmpty() && started && services.holdsChanged(id, partition.directory(), holds)) {
            // a stop or start by tag, nothing else: applied to the services, no buildout
            log.accept(id + ": services stopped or started on purpose (by tag, by this node, standby)");
            services.apply(id, partition.directory(), partition.user(), true, limits.enterCommand(id), holds);
        }
        if (reason.isEmpty()) {
            return started ? checkPromises(partition, state, PartitionOutcome.Kind.SKIPPED, holds)
                    : new Reconciled(new PartitionOutcome(id, PartitionOutcome.Kind.SKIPPED, "unchanged"),
                    InstanceState.STOPPED, "");
        }

        log.accept(id + ": converging (" + reason.get() + ")");
        state.create();
        state.writeReadable(state.profile(), profile);
        state.writeReadable(state.instanceFile(), instanceJson);
        ensureInstanceSecret(instance, partition, state);
        ExecResult r = buildout(state.profile(), partition.directory(), List.of(
                "--master", config.masterUrl(),
                "--secret-file", state.credentialFile().toString(),
                "--instance-file", state.instanceFile().toString()), partitionUser(partition));
        state.writePrivate(state.logFile(), r.output());
        if (!r.succeeded()) {
            String msg = "buildout " + r.summary() + "\n" + tail(r.output());
            log.accept(id + ": buildout failed (" + r.summary() + "), log in " + state.logFile());
            return Reconciled.failed(id, "buildout " + r.summary(), msg);
        }
        services.apply(id, partition.directory(), partition.user(), started, limits.enterCommand(id), holds);
        if (started) {
            Reconciled checked = checkPromises(partition, state, PartitionOutcome.Kind.CONVERGED, holds);
            if (checked.outcome().kind() == PartitionOutcome.Kind.PROMISE_BROKEN) {
                return checked; // no record: the next run tries again, as SlapOS does
            }
        }
        new ConvergenceRecord(inputs.hash(), clock.instant()).save(state.convergedFile());
        return new Reconciled(new PartitionOutcome(id, PartitionOutcome.Kind.CONVERGED, reason.get()),
                started ? InstanceState.STARTED : InstanceState.STOPPED, "");
    }

    /** What the partition's last reconcile held stopped on purpose, and why (none before one). */
    public ServiceHolds lastHolds(String partitionId) {
        return holdsSeen.getOrDefault(partitionId, ServiceHolds.NONE);
    }

    /** The partition's promises as last run (none before the first run). */
    public List<PromiseResult> lastPromises(Partition partition) {
        try {
            return new PromiseState(stateOf(partition).promisesFile()).load();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Runs the promises: the state to report is an error while one is broken, started when all are kept. */
    private Reconciled checkPromises(Partition partition, PartitionStateDirectory state, PartitionOutcome.Kind ifKept,
                                     ServiceHolds holds) throws IOException {
        java.util.function.Predicate<Path> stoppedOnPurpose = holds.promisesHeld(partition.directory());
        List<PromiseResult> results = withDiskCheck(promises.run(partition.directory(), partitionUser(partition), stoppedOnPurpose), partition,
                ifKept == PartitionOutcome.Kind.CONVERGED);
        if (ifKept == PartitionOutcome.Kind.CONVERGED) {
            long deadline = System.nanoTime() + PROMISE_GRACE.toNanos();
            while (results.stream().anyMatch(r -> !r.kept()) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(PROMISE_RETRY.toMillis()); // production back-off between promise runs, not a test wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                results = withDiskCheck(promises.run(partition.directory(), partitionUser(partition), stoppedOnPurpose), partition, false);
            }
        }
        state.create();
        List<PromiseState.Change> changes = new PromiseState(state.promisesFile()).record(results);
        List<PromiseResult> broken = results.stream().filter(r -> !r.kept()).toList();
        changes.forEach(c -> log.accept(partition.id() + ": " + c.describe()));
        if (!broken.isEmpty()) {
            String msg = broken.stream().map(b -> "promise " + b.name() + " " + b.describe() + "\n" + tail(b.output()))
                    .collect(Collectors.joining("\n"));
            return new Reconciled(new PartitionOutcome(partition.id(), PartitionOutcome.Kind.PROMISE_BROKEN,
                    broken.stream().map(PromiseResult::name).collect(Collectors.joining(", "))), InstanceState.ERROR, msg);
        }
        return new Reconciled(new PartitionOutcome(partition.id(), ifKept, ifKept == PartitionOutcome.Kind.SKIPPED ? "unchanged" : ""),
                InstanceState.STARTED, "");
    }

    /** The partition's promises and the node's own check of its disk use against the quota. */
    private List<PromiseResult> withDiskCheck(List<PromiseResult> results, Partition partition, boolean measureNow)
            throws IOException {
        List<PromiseResult> all = new java.util.ArrayList<>(results);
        all.add(limits.diskCheck(partition, measureNow));
        all.addAll(resources.entries(partition.id()));
        return all;
    }

    private Reconciled destroy(Instance instance, Partition partition) throws IOException {
        String id = partition.id();
        PartitionStateDirectory state = stateOf(partition);
        // Drain while the services still run: that is what prerm scripts are for (flush, stop
        // taking writes, hand work over). Only then are the services stopped.
        List<String> notes = new java.util.ArrayList<>();
        DrainResult drained = drain.run(partition.directory(), partitionUser(partition), drainTimeout(instance, notes));
        drained.describe().forEach(line -> log.accept(id + ": " + line));
        if (drained.timedOut()) {
            log.accept(id + ": prerm scripts did not finish in time; destroying anyway");
        }
        services.remove(id);
        if (Files.isRegularFile(state.profile())) {
            // Uninstall every part, so recipes' uninstall steps run before the data goes.
            ExecResult r = buildout(state.profile(), partition.directory(), List.of("buildout:parts="), partitionUser(partition));
            if (!r.succeeded()) {
                log.accept(id + ": uninstalling the parts failed (" + r.summary() + "); wiping anyway");
            }
        }
        // What escaped supervisord (a daemon started by buildout, a double-forked child) dies before
        // the wipe, so nothing races it: with the partition's cgroup where there is one, and in
        // every case by the partition user's uid (PartitionCleaner), with its jobs, IPC and temp files.
        PartitionCleaner cleaner = config.multiUser()
                ? new PartitionCleaner(executor, List.of(config.instanceRoot(), config.softwareRoot())) : null;
        int uid = cleaner == null ? -1 : (int) org.slapgrid.node.exec.UserProcesses.uidOf(partition.user());
        if (cleaner != null) {
            cleaner.removeJobs(partition.user()); // first: no job starts a process while the others are killed
        }
        limits.killLeftovers(id);
        if (cleaner != null) {
            cleaner.killProcesses(partition.user());
        }
        resources.release(partition); // data disks unmounted: the wipe empties the partition's own tree only
        wipe(partition);
        if (cleaner != null) {
            cleaner.removeIpcAndTempFiles(partition.user(), uid, partitionUser(partition)); // in the cgroup still
        }
        limits.release(id);
        if (cleaner != null) {
            cleaner.killProcesses(partition.user());
            List<String> left = cleaner.leftovers(partition.user(), uid);
            if (!left.isEmpty()) {
                // never hand a partition on with anything of the last tenant: it stays taken, and
                // the next run tries again
                throw new IOException("partition " + id + " is not freed: its user " + partition.user() + " still has "
                        + String.join("; ", left));
            }
        }
        AtomicFiles.deleteTree(state.path());
        notes.addAll(drained.describe());
        String summary = String.join("\n", notes) + (drained.timedOut() ? "\nprerm timed out" : "");
        holdsSeen.remove(id);
        return new Reconciled(new PartitionOutcome(id, PartitionOutcome.Kind.DESTROYED, drained.clean() ? "" : "drain not clean"),
                InstanceState.DESTROYED, summary);
    }

    /** Empties the partition as its own user (so no path it controls is followed as root). */
    private void wipe(Partition partition) throws IOException {
        ExecResult r = executor.run(List.of("find", partition.directory().toString(), "-mindepth", "1", "-delete"),
                partitionUser(partition), Map.of(), Duration.ofMinutes(10));
        if (!r.succeeded()) {
            throw new IOException("cannot empty " + partition.directory() + ": " + r.summary() + " " + tail(r.output()));
        }
    }

    private void ensureInstanceSecret(Instance instance, Partition partition, PartitionStateDirectory state) throws IOException {
        Path owner = state.path().resolve("instance.secret.owner");
        boolean current = Files.isRegularFile(state.credentialFile()) && Files.isRegularFile(owner)
                && Files.readString(owner).equals(instance.id());
        if (!current) {
            var secret = master.issueInstanceSecret(config.nodeId(), partition.id());
            state.writeReadable(state.credentialFile(), secret.secret());
            state.writePrivate(owner, instance.id());
        }
    }

    /** The instance file the recipes read: {@link InstanceFile} owns its format. */
    private String instanceJson(Instance instance, Partition partition) {
        return InstanceFile.encode(new InstanceConfiguration(config.nodeId(), partition.id(), instance.softwareUrl(),
                instance.softwareType(), instance.requestedState().json(),
                instance.parameters() == null ? Map.of() : instance.parameters(), List.of(partition.ipv4()), List.of(),
                instance.name(), instance.rootName() == null ? instance.name() : instance.rootName(), instance.id(), List.of(),
                clusterOf(instance)));
    }

    /** A cluster member's peers and primary as the master sent them (docs/clusters.md), as JSON values. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> clusterOf(Instance instance) {
        return instance.cluster() == null ? Map.of()
                : org.slapgrid.slap.Json.lenient().convertValue(instance.cluster(), Map.class);
    }

    /** A bad value never blocks a destruction: the default is used, and the report says why. */
    private Duration drainTimeout(Instance instance, List<String> notes) {
        try {
            return new NodeParameters(instance.parameters()).drainTimeout();
        } catch (NodeParameters.OutOfRange e) {
            String note = e.getMessage() + "; drained with the default of " + NodeParameters.DRAIN_TIMEOUT.defaultValue() + " s";
            log.accept(instance.name() + ": " + note);
            notes.add(note);
            return Duration.ofSeconds(NodeParameters.DRAIN_TIMEOUT.defaultValue());
        }
    }

    /**
     * The digest of a release's instance profile and build stamp, read once per build of the
     * release: the release's tree is frozen (root's, read-only) once built, and a rebuild
     * rewrites root's {@code completed} marker, so an unchanged marker means an unchanged
     * profile. Reading the profile (an untrusted file, opened component by component) was half
     * of what an unchanged partition cost the daemon. Cached as marker, NUL, digest.
     */
    private static String releaseDigest(Map<Path, String> releases, ReleasePlace release, Path instanceProfile) throws IOException {
        String marker = Files.readString(release.completed());
        String cached = releases.get(instanceProfile);
        int cut = cached == null ? -1 : cached.lastIndexOf('\0');
        if (cut >= 0 && cached.substring(0, cut).equals(marker)) {
            return cached.substring(cut + 1);
        }
        // the profile as an untrusted file (no link, no FIFO, bounded); the marker is root's own
        String digest = PartitionInputs.digest(release.readProfile(instanceProfile) + "\n" + marker);
        releases.put(instanceProfile, marker + "\0" + digest);
        return digest;
    }

    /**
     * A buildout child, at most {@code parallelism} at once: they are what takes CPU; waiting
     * (promises, prerm scripts) holds no slot, so slow partitions do not starve the others.
     */
    private ExecResult buildout(Path profile, Path directory, List<String> arguments, RunAs who) throws IOException {
        try {
            buildoutSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to run a buildout", e);
        }
        try {
            return buildout.run(profile, directory, arguments, who, config.partitionTimeout());
        } finally {
            buildoutSlots.release();
        }
    }

    private PartitionStateDirectory stateOf(Partition partition) {
        return new PartitionStateDirectory(config.stateDirectory(), partition.id(), config.multiUser() ? partition.user() : null);
    }

    private RunAs partitionUser(Partition partition) {
        return limits.runAs(partition, config.multiUser());
    }

    private static String tail(String s) {
        return s.length() <= REPORT_TAIL ? s : "..." + s.substring(s.length() - REPORT_TAIL);
    }

}
