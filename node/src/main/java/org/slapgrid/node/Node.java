package org.slapgrid.node;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.slapgrid.node.buildout.BuildoutProcess;
import org.slapgrid.node.buildout.ClassDataArchive;
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigException;
import org.slapgrid.node.drain.Drain;
import org.slapgrid.node.exec.ChildLedger;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.instance.PartitionReconciler;
import org.slapgrid.node.instance.ReportSender;
import org.slapgrid.node.instance.SupervisedServices;
import org.slapgrid.node.limits.AddressGuard;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.node.promise.PromiseRunner;
import org.slapgrid.node.software.BuildUsers;
import org.slapgrid.node.software.SoftwareInstaller;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.node.supervisor.crash.CrashListener;
import org.slapgrid.node.supervisor.crash.CrashReport;
import org.slapgrid.node.supervisor.crash.CrashSummary;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.SupervisorLayout;
import org.slapgrid.node.supervisor.SupervisorSettings;
import org.slapgrid.node.supervisor.crash.WatchSettings;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.NodeInfo;

/**
 * A node assembled from its configuration: the master client (with the node's own secret),
 * its supervisord, the software installer and the instance converger. Every
 * {@code slapos node} command and the daemon go through it.
 */
public final class Node {

    private final NodeConfig config;
    private final SlapClient master;
    private final Supervisor supervisor;
    private final SoftwareInstaller software;
    private final InstanceConverger converger;
    private final PartitionLimiter limits;
    private final AddressGuard addresses;
    private final org.slapgrid.node.jobs.JobRunner jobs;
    private final Consumer<String> log;

    private Node(NodeConfig config, SlapClient master, Supervisor supervisor, SoftwareInstaller software,
                 InstanceConverger converger, PartitionLimiter limits, org.slapgrid.node.jobs.JobRunner jobs, Consumer<String> log) {
        this.config = config;
        this.jobs = jobs;
        this.limits = limits;
        this.addresses = new AddressGuard(config.nodeId());
        this.master = master;
        this.supervisor = supervisor;
        this.software = software;
        this.converger = converger;
        this.log = log;
    }

    /** Assembles the node; the node's secret must have been written by {@code slapos node register}. */
    public static Node open(NodeConfig config, Consumer<String> log) throws IOException {
        SlapClient master = masterClient(config);
        Supervisor supervisor = supervisorOf(config);
        NodeRuntime runtime = NodeRuntime.current();
        BuildUsers builders = BuildUsers.currentUser();
        if (config.multiUser()) {
            runtime = runtime.readableCopy(config.stateDirectory().resolve("lib"));
            builders = BuildUsers.perRelease(config.buildUserPrefix());
        }
        return assemble(config, master, supervisor, runtime, builders, PromiseRunner.DEFAULT_TIMEOUT, log);
    }

    /** The node's client for the master, with the node's own secret; nothing else is set up. */
    public static SlapClient masterClient(NodeConfig config) throws IOException {
        if (!Files.isRegularFile(config.credentialsFile())) {
            throw new NodeConfigException(config.credentialsFile() + ": the node's secret is missing; run `slapos node register` first");
        }
        String secret = Files.readString(config.credentialsFile()).strip();
        return SlapClient.builder(URI.create(config.masterUrl())).token(secret).timeout(Duration.ofSeconds(30)).build();
    }

    /** The node's supervisord, in the layout of design section 5 below its instance root. */
    public static Supervisor supervisorOf(NodeConfig config) {
        return supervisorOf(config.instanceRoot(), config.nodeId());
    }

    public static Supervisor supervisorOf(java.nio.file.Path instanceRoot, String nodeId) {
        return new Supervisor(SupervisorSettings.defaults(SupervisorLayout.under(instanceRoot), nodeId));
    }

    /**
     * Assembles a node from its parts (tests give their own supervisor layout and build user).
     *
     * @param builders who builds software releases (as root, a user per release)
     */
    public static Node assemble(NodeConfig config, SlapClient master, Supervisor supervisor, NodeRuntime runtime,
                                BuildUsers builders, Duration promiseTimeout, Consumer<String> log) {
        PartitionExecutor executor = new PartitionExecutor();
        PartitionLimiter limits = PartitionLimiter.open(config);
        // Buildouts (of partitions and releases) are recorded while they run: what a killed node
        // left running is killed now, before this node starts one again in the same directory.
        ChildLedger children = new ChildLedger(config.stateDirectory().resolve("children"));
        children.reapLeftovers(log);
        BuildoutProcess buildout = new BuildoutProcess(runtime, new PartitionExecutor(children),
                new ClassDataArchive(runtime, config.stateDirectory().resolve("lib")));
        SoftwareInstaller software = new SoftwareInstaller(config, master, buildout, builders, Duration.ofHours(2), log);
        PromiseRunner promises = PromiseRunner.withOwnPool(promiseTimeout);
        PartitionReconciler reconciler = new PartitionReconciler(config, master, new SupervisedServices(supervisor), buildout,
                promises, new Drain(executor), executor, limits, Clock.systemUTC(), log);
        org.slapgrid.node.jobs.JobRunner jobs = new org.slapgrid.node.jobs.JobRunner(org.slapgrid.node.jobs.JobKinds.standard()
                .register(new org.slapgrid.node.scaling.ScalingHookJob())
                .register(new org.slapgrid.node.scaling.LifecycleTerminationJob(config.masterUrl()))
                .register(new org.slapgrid.node.compliance.ComplianceJob(config, limits, log)),
                config, master, executor, supervisor, promises, limits, log);
        InstanceConverger converger = new InstanceConverger(reconciler, new ReportSender(master, config.nodeId(), log),
                config.parallelism());
        return new Node(config, master, supervisor, software, converger, limits, jobs, log);
    }

    public NodeConfig config() { return config; }
    public SlapClient master() { return master; }
    public SoftwareInstaller softwareInstaller() { return software; }
    public InstanceConverger converger() { return converger; }
    /** The partition jobs step (docs/protocol.md, "Partition jobs"); register new job kinds in its {@code kinds()}. */
    public org.slapgrid.node.jobs.JobRunner jobs() { return jobs; }
    public Supervisor supervisor() { return supervisor; }
    /** Per-partition cgroups and disk quota. */
    public PartitionLimiter limits() { return limits; }
    /** The nftables rules that keep each partition's address to its own user. */
    public AddressGuard addresses() { return addresses; }

    /** The partitions as last formatted. */
    public List<Partition> partitions() throws IOException {
        List<Partition> p = NodeFormatter.formatted(config);
        if (p.isEmpty()) {
            throw new NodeConfigException("the node has no partitions yet: run `slapos node format`");
        }
        return p;
    }

    public List<SoftwareOutcome> software(NodeInfo info, boolean force) {
        return software.install(info.software(), force);
    }

    /**
     * Confines the partitions before any of their services starts: each partition's address
     * kept to its own user (nftables) and its cgroup made with its limits. Format applied the
     * address rules, but the kernel keeps neither across a reboot, so each node process does
     * this again; unchanged, it costs almost nothing. A failure is logged, not fatal: the
     * launcher refuses to start a program whose cgroup is missing.
     */
    public void confine(List<Partition> partitions) {
        try {
            if (config.multiUser() && addresses.apply(partitions)) {
                log.accept("partition addresses " + addresses.describe());
            }
        } catch (IOException e) {
            log.accept("partition addresses are NOT enforced: " + e.getMessage());
        }
        for (Partition p : partitions) {
            try {
                limits.prepare(p.id());
            } catch (IOException | RuntimeException e) {
                log.accept(p.id() + ": cannot apply its limits: " + e.getMessage());
            }
        }
    }

    public List<PartitionOutcome> instance(NodeInfo info, InstanceConverger.Selection selection) throws IOException {
        List<Partition> partitions = partitions();
        confine(partitions);
        supervisor.ensureRunning();
        return converger.converge(info, partitions, selection);
    }

    /** Watches the services: every crash becomes a bang at the master (rate-limited by the watcher). */
    public CrashWatcher watchCrashes() {
        return watchCrashes(WatchSettings.defaults(), partition -> { });
    }

    /** The same, also telling {@code crashedPartition} (the daemon queues that partition). */
    public CrashWatcher watchCrashes(Consumer<String> crashedPartition) {
        return watchCrashes(WatchSettings.defaults(), crashedPartition);
    }

    /** The same, with its own restart policy and rate limit. */
    public CrashWatcher watchCrashes(WatchSettings settings) {
        return watchCrashes(settings, partition -> { });
    }

    private CrashWatcher watchCrashes(WatchSettings settings, Consumer<String> crashedPartition) {
        CrashWatcher watcher = new CrashWatcher(supervisor, new CrashListener() {
            @Override
            public void crashed(CrashReport r) {
                String message = r.summary() + oomNote(r) + (r.logTail() == null || r.logTail().isBlank() ? "" : "\n" + r.logTail());
                bang(r.partitionId(), message);
                crashedPartition.accept(r.partitionId());
            }

            @Override
            public void crashesSuppressed(CrashSummary s) {
                bang(s.partitionId(), s.summary());
            }

            @Override
            public void restarted(String partitionId, String program) {
                crashedPartition.accept(partitionId); // its status tree (new pid, restarts) goes out now
            }
        }, settings);
        watcher.start();
        return watcher;
    }

    /** The partition's OOM kills last seen, so a crash is said to be the kernel's only when its count grew. */
    private final java.util.Map<String, Long> oomKillsSeen = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * "; killed by the kernel: out of memory in the partition's limit of 64.0 MiB" when the
     * partition's cgroup counted a new OOM kill (a service killed by a signal, as the kernel does).
     */
    private String oomNote(CrashReport r) {
        var usage = limits.cgroups().usage(r.partitionId());
        if (usage.isEmpty()) {
            return "";
        }
        long now = usage.get().oomKills();
        Long before = oomKillsSeen.put(r.partitionId(), now);
        if (now <= (before == null ? 0 : before)) {
            return "";
        }
        String limit = limits.cgroups().limits(r.partitionId()).map(l -> l.memoryBytes() == 0 ? "no limit"
                : "limit of " + org.slapgrid.slap.Sizes.format(l.memoryBytes())).orElse("limit");
        return "; killed by the kernel: out of memory in the partition's memory " + limit + " (" + now + " OOM kill"
                + (now == 1 ? "" : "s") + " so far)";
    }

    private void bang(String partition, String message) {
        try {
            master.bang(config.nodeId(), partition, message);
            log.accept(partition + ": bang: " + message.lines().findFirst().orElse(""));
        } catch (RuntimeException e) {
            log.accept(partition + ": could not send a bang to the master: " + e.getMessage());
        }
    }
}
