package org.slapgrid.node.limits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One cgroup per partition, below a cgroup of the node's own ({@code slapgrid-<node>/slappartN}),
 * with the kernel enforcing the partition's {@link PartitionLimits} on every process it runs:
 * services and run-once scripts (supervisord starts them through {@link #enterCommand}),
 * buildout, promises and prerm scripts (the partition executor does the same).
 *
 * <pre>
 * CgroupController cgroups = CgroupController.open("node-1", null, stateDir.resolve("limits"));
 * cgroups.apply("slappart0", new PartitionLimits(512L &lt;&lt; 20, 2048, 1.5));   // create or resize
 * List&lt;String&gt; prefix = cgroups.enterCommand("slappart0");  // [launcher, cgroup dirs..., "--"]
 * cgroups.usage("slappart0");                                 // memory, processes, OOM kills
 * cgroups.release("slappart0");                               // kill what is left, remove it
 * </pre>
 *
 * Where the kernel's cgroups cannot be written (not root, read-only mounts, cgroup v2 without
 * delegation), {@link #availability()} says why and everything else does nothing: partitions
 * then run unlimited, and {@code slapos node status} says so.
 */
public interface CgroupController {

    /** Whether limits are enforced here, by which cgroup version, or why not. */
    record Availability(boolean available, String version, String detail) {

        public String describe() {
            return available ? "enforced with cgroup " + version + " (" + detail + ")" : "not enforced: " + detail;
        }
    }

    /** What a partition's processes use now, as the kernel counts it. */
    record Usage(long memoryBytes, long processes, long oomKills, long refusedForks) {
    }

    Availability availability();

    /** Creates the partition's cgroup when missing and sets its limits (idempotent; a change applies at once). */
    void apply(String partitionId, PartitionLimits limits) throws IOException;

    /**
     * The command prefix that makes what follows run inside the partition's cgroup, or an empty
     * list when limits are not available. The launcher refuses to run anything when it cannot
     * join (the cgroup is missing, say after a reboot until the next round applies it).
     */
    List<String> enterCommand(String partitionId);

    /** Current use, empty when not available or the partition has no cgroup. */
    Optional<Usage> usage(String partitionId);

    /** The limits in force for the partition, as read back from the kernel. */
    Optional<PartitionLimits> limits(String partitionId);

    /** Kills every process left in the partition's cgroup and removes it (absent: nothing to do). */
    void release(String partitionId) throws IOException;

    /** Releases every partition's cgroup and removes the node's own parent cgroup. */
    void releaseAll() throws IOException;

    /**
     * Detects the machine's cgroups (v1 with pids and memory controllers, else v2 with them
     * enabled), and the node's parent cgroup.
     *
     * @param cgroupParent the parent's path inside the hierarchy, or null for
     *                     {@code slapgrid-<nodeId>} below the cgroup this process runs in
     * @param launcherDir  a root-owned directory where the node writes its launcher script
     */
    static CgroupController open(String nodeId, String cgroupParent, Path launcherDir) {
        return CgroupDetection.detect(nodeId, cgroupParent, launcherDir);
    }
}
