package org.slapgrid.node.limits;

import org.slapgrid.slap.Sizes;

/**
 * What one partition's processes may use together, enforced by the kernel (cgroups): memory in
 * bytes, the number of processes and threads, and CPU time in CPUs (1.5 = one and a half cores'
 * worth per period). 0 means no limit for that resource. The node applies its configured
 * defaults ({@code [slapos] partition_*}); a resize (issue 14's {@code cluster resize}) applies
 * others to one partition through {@link CgroupController#apply}.
 */
public record PartitionLimits(long memoryBytes, int maxProcesses, double cpus) {

    /**
     * The least memory a partition may be given: a resize ({@code cluster resize}) may go this
     * low for what its services need, though a buildout (a JVM, in the partition's limits) may
     * then fail; the node's default limit is at least {@link #MIN_DEFAULT_MEMORY}.
     */
    public static final long MIN_MEMORY = 32L << 20;
    /** Below this, a partition's buildout (a JVM, in the partition's limits) cannot even start. */
    public static final long MIN_DEFAULT_MEMORY = 128L << 20;
    public static final int MIN_PROCESSES = 16;
    /** Linux's highest pid_max. */
    public static final int MAX_PROCESSES = 4_194_304;
    public static final double MIN_CPUS = 0.01;
    public static final double MAX_CPUS = 1024;

    public static final PartitionLimits NONE = new PartitionLimits(0, 0, 0);

    public PartitionLimits {
        if (memoryBytes != 0 && memoryBytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory limit " + memoryBytes + " bytes: expected 0 (none) or at least "
                    + Sizes.format(MIN_MEMORY));
        }
        if (maxProcesses != 0 && (maxProcesses < MIN_PROCESSES || maxProcesses > MAX_PROCESSES)) {
            throw new IllegalArgumentException("process limit " + maxProcesses + ": expected 0 (none) or "
                    + MIN_PROCESSES + " to " + MAX_PROCESSES);
        }
        if (cpus != 0 && (!(cpus >= MIN_CPUS) || cpus > MAX_CPUS)) {
            throw new IllegalArgumentException("CPU limit " + cpus + ": expected 0 (none) or " + MIN_CPUS + " to " + MAX_CPUS);
        }
    }

    public PartitionLimits withMemory(long bytes) {
        return new PartitionLimits(bytes, maxProcesses, cpus);
    }

    public PartitionLimits withMaxProcesses(int n) {
        return new PartitionLimits(memoryBytes, n, cpus);
    }

    public PartitionLimits withCpus(double n) {
        return new PartitionLimits(memoryBytes, maxProcesses, n);
    }

    /** "memory 512.0 MiB, 2048 processes, 1.5 CPUs" (or "no limit" per resource). */
    public String describe() {
        return "memory " + (memoryBytes == 0 ? "unlimited" : Sizes.format(memoryBytes))
                + ", " + (maxProcesses == 0 ? "unlimited" : Integer.toString(maxProcesses)) + " processes"
                + ", " + (cpus == 0 ? "unlimited" : Double.toString(cpus)) + " CPUs";
    }
}
