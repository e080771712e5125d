package org.slapgrid.node.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.LocalTagRules;
import org.slapgrid.node.instance.ServiceHolds;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.node.promise.PromiseRunner;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.JobReport;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.PartitionJob;
import org.slapgrid.node.io.PartitionStateDirectory;

/**
 * The partition reconcile's job step: runs the jobs the master put in the partition's document,
 * oldest first, each through its {@link JobKind} with its timeout, and reports each end once
 * ({@code PUT .../jobs/{id}}). A job whose end could not be reported (the master away) is not
 * run again: its report is sent at the next reconcile. A job is never run twice by one node
 * process; a node killed while running one runs it again after its restart (the master still
 * shows it open), so a kind must bear being run again.
 */
public final class JobRunner {
    private static final Duration LONGEST = Duration.ofHours(24);

    private final JobKinds kinds;
    private final NodeConfig config;
    private final SlapClient master;
    private final PartitionExecutor executor;
    private final Supervisor supervisor;
    private final PromiseRunner promises;
    private final PartitionLimiter limits;
    private final Consumer<String> log;
    /** Jobs this process ran, by id: their partition. Forgotten once the document no longer carries them. */
    private final Map<String, String> handled = new ConcurrentHashMap<>();
    /** Ends not yet accepted by the master, by job id. */
    private final Map<String, JobReport> unsent = new ConcurrentHashMap<>();

    public JobRunner(JobKinds kinds, NodeConfig config, SlapClient master, PartitionExecutor executor, Supervisor supervisor,
                     PromiseRunner promises, PartitionLimiter limits, Consumer<String> log) {
        this.kinds = kinds;
        this.config = config;
        this.master = master;
        this.executor = executor;
        this.supervisor = supervisor;
        this.promises = promises;
        this.limits = limits;
        this.log = log;
    }

    public JobKinds kinds() {
        return kinds;
    }

    /** Runs the partition's open jobs; returns what each did, for the log ("job j1 backup: done"). */
    public List<String> runPending(PartitionInfo p, Partition partition) {
        List<String> done = new ArrayList<>();
        Set<String> listed = p.jobs().stream().map(PartitionJob::id).collect(Collectors.toSet());
        handled.entrySet().removeIf(e -> e.getValue().equals(p.id()) && !listed.contains(e.getKey()) && !unsent.containsKey(e.getKey()));
        for (PartitionJob job : p.jobs()) {
            if (handled.containsKey(job.id())) {
                JobReport pending = unsent.get(job.id());
                if (pending != null) {
                    send(p.id(), job, pending);
                }
                continue;
            }
            handled.put(job.id(), p.id());
            JobReport end = run(job, partition, p);
            done.add("job " + job.id() + " " + job.kind() + ": " + end.state().name().toLowerCase()
                    + (end.state() == JobState.FAILED ? " (" + lastLine(end.output()) + ")" : ""));
            send(p.id(), job, end);
        }
        return done;
    }

    private JobReport run(PartitionJob job, Partition partition, PartitionInfo p) {
        long start = System.nanoTime();
        JobKind kind = kinds.get(job.kind()).orElse(null);
        if (kind == null) {
            return new JobReport(JobState.FAILED, null, "this node has no job kind '" + job.kind() + "' (it has: "
                    + kinds.names() + ")", 0L, Map.of());
        }
        trySend(partition.id(), job, new JobReport(JobState.RUNNING, null, null, null, null));
        Duration timeout = timeoutOf(job, kind);
        Path work = PartitionStateDirectory.paths(config.stateDirectory(), partition.id()).jobDirectory(job.id());
        JobOutcome o;
        try {
            makeWorkDirectory(work);
            // held as the convergence that just ran holds them: the master's stops by tag, this node's, a standby's
            ServiceHolds holds = p.instance() == null ? ServiceHolds.NONE
                    : ServiceHolds.of(p.instance(), LocalTagRules.load(config.stateDirectory(), partition.id()));
            o = kind.run(new JobContext(job, partition, partitionUser(partition), work, timeout, config.multiUser(), config.nodeId(),
                    master, executor, supervisor, promises, holds));
        } catch (IOException | RuntimeException e) {
            o = JobOutcome.failed(job.kind() + " job failed on node " + config.nodeId() + ": " + e.getMessage());
        } finally {
            try {
                AtomicFiles.deleteTree(work); // root's own by then (kinds hand back what they gave the partition)
            } catch (IOException e) {
                log.accept(partition.id() + ": cannot remove " + work + ": " + e.getMessage());
            }
        }
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        return new JobReport(o.succeeded() ? JobState.DONE : JobState.FAILED, o.exitCode(), o.output(), ms, o.result());
    }

    /** A fresh, empty directory of root's that the partition's user may pass through (0711). */
    private static void makeWorkDirectory(Path work) throws IOException {
        AtomicFiles.deleteTree(work); // what a killed run left
        Files.createDirectories(work.getParent());
        Files.setPosixFilePermissions(work.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        Files.createDirectory(work);
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
    }

    private static Duration timeoutOf(PartitionJob job, JobKind kind) {
        Object t = job.args().get("timeoutSeconds");
        if (t instanceof Number n && n.longValue() > 0) {
            Duration d = Duration.ofSeconds(n.longValue());
            return d.compareTo(LONGEST) > 0 ? LONGEST : d;
        }
        return kind.defaultTimeout();
    }

    private void send(String partition, PartitionJob job, JobReport end) {
        if (trySend(partition, job, end)) {
            unsent.remove(job.id());
        } else {
            unsent.put(job.id(), end);
        }
    }

    private boolean trySend(String partition, PartitionJob job, JobReport report) {
        try {
            master.reportJob(config.nodeId(), partition, job.id(), report);
            return true;
        } catch (RuntimeException e) {
            log.accept(partition + ": could not report job " + job.id() + " " + report.state() + " to the master: " + e.getMessage());
            return false;
        }
    }

    private RunAs partitionUser(Partition partition) {
        return limits.runAs(partition, config.multiUser());
    }

    private static String lastLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }
}
