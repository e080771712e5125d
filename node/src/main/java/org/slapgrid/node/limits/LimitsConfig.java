package org.slapgrid.node.limits;

import org.slapgrid.slap.Sizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's per-partition limits as configured in {@code [slapos]} of {@code slapos.cfg}:
 * <pre>
 * partition_memory_limit = 50%      memory of all a partition's processes (size or % of RAM; 0: none)
 * partition_max_processes = 2048    processes and threads of a partition (0: none; 16 to 4194304)
 * partition_cpu_limit = 0           CPUs a partition may use (0: none; 0.01 to 1024)
 * partition_disk_quota = 50%        disk use above which a partition is reported in error
 *                                   (size or % of the instance root's file system; 0: none)
 * cgroup_parent =                   the node's cgroup (path inside each hierarchy, e.g. /slapgrid);
 *                                   default: slapgrid-NODE_ID below the node process's own cgroup
 * </pre>
 *
 * @param partition     the limits every partition gets
 * @param diskQuota     bytes; 0 for none
 * @param cgroupParent  null for the default
 */
public record LimitsConfig(PartitionLimits partition, long diskQuota, String cgroupParent) {

    public static final String DEFAULT_MEMORY = "50%";
    public static final int DEFAULT_PROCESSES = 2048;
    public static final String DEFAULT_DISK_QUOTA = "50%";

    public LimitsConfig {
        if (diskQuota < 0) {
            throw new IllegalArgumentException("disk quota must not be negative");
        }
        if (cgroupParent != null && !cgroupParent.matches("(/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){1,8}")) {
            throw new IllegalArgumentException("cgroup parent: expected an absolute path of simple names such as"
                    + " /slapgrid, got '" + cgroupParent + "'");
        }
    }

    /** The defaults for a node whose partitions live in {@code instanceRoot}. */
    public static LimitsConfig defaults(Path instanceRoot) {
        return new LimitsConfig(new PartitionLimits(Sizes.parse(DEFAULT_MEMORY, physicalMemory()), DEFAULT_PROCESSES, 0),
                Sizes.parse(DEFAULT_DISK_QUOTA, fileSystemSize(instanceRoot)), null);
    }

    public LimitsConfig withPartition(PartitionLimits limits) {
        return new LimitsConfig(limits, diskQuota, cgroupParent);
    }

    public LimitsConfig withDiskQuota(long bytes) {
        return new LimitsConfig(partition, bytes, cgroupParent);
    }

    /** The machine's memory (MemTotal of /proc/meminfo), in bytes. */
    public static long physicalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        throw new IllegalStateException("cannot read the machine's memory from /proc/meminfo");
    }

    /** The size of the file system that holds {@code path} (or its nearest existing ancestor). */
    public static long fileSystemSize(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return Files.getFileStore(p == null ? Path.of("/") : p).getTotalSpace();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the size of the file system of " + path + ": " + e.getMessage(), e);
        }
    }
}
