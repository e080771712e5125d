package org.slapgrid.node.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.JobReport;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.PartitionJob;

/**
 * The node-level jobs step: the jobs of the node document's top-level {@code jobs} (what the
 * master asks of the node itself, not of a partition: a compliance run of its node-level
 * modules), run as the node, oldest first, each reported once as partition jobs are
 * ({@code PUT /api/v1/nodes/{node}/jobs/{id}}: RUNNING, then DONE or FAILED). An end the master
 * did not take is sent again at the next document; a job is never run twice by one process.
 */
public final class NodeJobRunner {

    /** One kind of node-level job, by the {@code kind} the master sends. */
    public interface Kind {
        String name();

        JobOutcome run(PartitionJob job) throws IOException;
    }

    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private final SlapClient master;
    private final String nodeId;
    private final Consumer<String> log;
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final Map<String, JobReport> unsent = new ConcurrentHashMap<>();

    public NodeJobRunner(SlapClient master, String nodeId, Consumer<String> log) {
        this.master = master;
        this.nodeId = nodeId;
        this.log = log;
    }

    public NodeJobRunner register(Kind kind) {
        if (kinds.putIfAbsent(kind.name(), kind) != null) {
            throw new IllegalArgumentException("node job kind '" + kind.name() + "' is registered twice");
        }
        return this;
    }

    /** Runs the document's node-level jobs not run yet (call it from one thread). */
    public void runPending(List<PartitionJob> jobs) {
        Set<String> listed = jobs.stream().map(PartitionJob::id).collect(Collectors.toSet());
        handled.removeIf(id -> !listed.contains(id) && !unsent.containsKey(id));
        for (PartitionJob job : jobs) {
            if (!handled.add(job.id())) {
                JobReport pending = unsent.get(job.id());
                if (pending != null) {
                    send(job, pending);
                }
                continue;
            }
            long start = System.nanoTime();
            Kind kind = kinds.get(job.kind());
            JobOutcome o;
            if (kind == null) {
                o = JobOutcome.failed("this node has no node-level job kind '" + job.kind() + "' (it has: "
                        + String.join(", ", new java.util.TreeSet<>(kinds.keySet())) + ")");
            } else {
                trySend(job, new JobReport(JobState.RUNNING, null, null, null, null));
                try {
                    o = kind.run(job);
                } catch (IOException | RuntimeException e) {
                    o = JobOutcome.failed(job.kind() + " job failed on node " + nodeId + ": " + e.getMessage());
                }
            }
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            JobReport end = new JobReport(o.succeeded() ? JobState.DONE : JobState.FAILED, o.exitCode(), o.output(), ms, o.result());
            log.accept("node " + nodeId + ": job " + job.id() + " " + job.kind() + ": " + end.state().name().toLowerCase());
            send(job, end);
        }
    }

    private void send(PartitionJob job, JobReport end) {
        if (trySend(job, end)) {
            unsent.remove(job.id());
        } else {
            unsent.put(job.id(), end);
        }
    }

    private boolean trySend(PartitionJob job, JobReport report) {
        try {
            master.reportNodeJob(nodeId, job.id(), report);
            return true;
        } catch (RuntimeException e) {
            log.accept("node " + nodeId + ": could not report job " + job.id() + " " + report.state() + " to the master: "
                    + e.getMessage());
            return false;
        }
    }
}
