package org.slapgrid.node.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.ServiceHolds;
import org.slapgrid.node.promise.PromiseRunner;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.PartitionJob;

/**
 * What a {@link JobKind} works with: the job, its partition, the user its executables run as
 * ({@code partitionUser}), the job's own directory (root's, under the partition's state
 * directory, made empty for this job and removed after it), its deadline, and the node's parts a
 * kind may need.
 *
 * @param multiUser true when the node runs as root with a user per partition
 * @param holds     what of the partition is held stopped on purpose (stops by tag, a failover
 *                  standby): a kind must neither start it nor run its promises
 */
public record JobContext(PartitionJob job, Partition partition, RunAs partitionUser, Path workDirectory, Duration timeout,
                         boolean multiUser, String nodeId, SlapClient master, PartitionExecutor executor,
                         Supervisor supervisor, PromiseRunner promises, ServiceHolds holds) {

    public JobContext {
        holds = holds == null ? ServiceHolds.NONE : holds;
    }

    /** A context where nothing is held (kinds that start no service). */
    public JobContext(PartitionJob job, Partition partition, RunAs partitionUser, Path workDirectory, Duration timeout,
                      boolean multiUser, String nodeId, SlapClient master, PartitionExecutor executor,
                      Supervisor supervisor, PromiseRunner promises) {
        this(job, partition, partitionUser, workDirectory, timeout, multiUser, nodeId, master, executor, supervisor, promises,
                ServiceHolds.NONE);
    }

    /** Runs {@code command} as the partition's user, in its directory, with the job's timeout. */
    public ExecResult run(List<String> command, Map<String, String> environment) throws IOException {
        return executor.run(command, partitionUser, environment, timeout);
    }

    /** Runs {@code command} as the node (root): only for tools of the node on paths it made. */
    public ExecResult runAsNode(List<String> command) throws IOException {
        return executor.run(command, RunAs.currentUser(workDirectory), Map.of(), Duration.ofMinutes(10));
    }

    /** A string argument, or {@code fallback}. */
    public String arg(String name, String fallback) {
        Object v = job.args().get(name);
        return v == null ? fallback : v.toString();
    }
}
