package org.slapgrid.node.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cgroup v1: one hierarchy per controller ({@code /sys/fs/cgroup/pids}, {@code .../memory},
 * and {@code cpu}, {@code freezer} when mounted), a partition directory in each.
 * Memory is limited with swap included when the kernel accounts swap ({@code memsw}), so a
 * partition cannot go past its limit by swapping.
 */
final class CgroupV1 extends KernelCgroups {

    private static final long UNLIMITED_ABOVE = 1L << 62;
    private static final long CPU_PERIOD_US = 100_000;

    private final Map<String, Path> parents;

    CgroupV1(Map<String, Path> parents, Path launcherDir) {
        super(launcherDir);
        this.parents = Map.copyOf(parents);
        this.order = parents.keySet().stream().toList();
    }

    private final List<String> order;

    @Override
    public Availability availability() {
        return new Availability(true, "v1", "controllers " + String.join(", ", order) + "; partitions below "
                + parents.get("pids"));
    }

    @Override
    List<Path> parents() {
        return order.stream().map(parents::get).toList();
    }

    @Override
    void ensureParents() throws IOException {
        for (Path p : parents()) {
            Files.createDirectories(p);
        }
    }

    private Path dir(String controller, String partitionId) {
        Path parent = parents.get(controller);
        return parent == null ? null : parent.resolve(partitionId);
    }

    @Override
    void writeLimits(String partitionId, PartitionLimits limits) throws IOException {
        Path pids = dir("pids", partitionId).resolve("pids.max");
        String max = limits.maxProcesses() == 0 ? "max" : Integer.toString(limits.maxProcesses());
        if (!read(pids).equals(max)) {
            write(pids, max);
        }

        Path memory = dir("memory", partitionId);
        Path limit = memory.resolve("memory.limit_in_bytes");
        Path withSwap = memory.resolve("memory.memsw.limit_in_bytes");
        long target = limits.memoryBytes() == 0 ? -1 : limits.memoryBytes();
        long current = number(limit);
        boolean unchanged = target == -1 ? current >= UNLIMITED_ABOVE : current == pageRounded(target);
        if (!unchanged) {
            // memsw >= limit at every moment: raise memsw first, lower it last
            boolean raising = target == -1 || target > current;
            if (raising && Files.exists(withSwap)) {
                write(withSwap, Long.toString(target));
            }
            write(limit, Long.toString(target));
            if (!raising && Files.exists(withSwap)) {
                write(withSwap, Long.toString(target));
            }
        }

        Path cpu = dir("cpu", partitionId);
        if (cpu == null) {
            if (limits.cpus() != 0) {
                throw new IOException("a CPU limit is set but the cgroup v1 cpu controller is not mounted");
            }
            return;
        }
        String quota = limits.cpus() == 0 ? "-1" : Long.toString(Math.round(limits.cpus() * CPU_PERIOD_US));
        if (!read(cpu.resolve("cpu.cfs_period_us")).equals(Long.toString(CPU_PERIOD_US))) {
            write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
        }
        if (!read(cpu.resolve("cpu.cfs_quota_us")).equals(quota)) {
            write(cpu.resolve("cpu.cfs_quota_us"), quota);
        }
    }

    /** The kernel keeps memory limits in whole pages. */
    private static long pageRounded(long bytes) {
        return bytes / 4096 * 4096;
    }

    @Override
    boolean freeze(String partitionId, boolean frozen) throws IOException {
        Path freezer = dir("freezer", partitionId);
        if (freezer == null || !Files.isDirectory(freezer)) {
            return false;
        }
        Path state = freezer.resolve("freezer.state");
        write(state, frozen ? "FROZEN" : "THAWED");
        String want = frozen ? "FROZEN" : "THAWED";
        for (int i = 0; i < 500 && !read(state).equals(want); i++) {
            pause(); // FREEZING until every task stopped
        }
        return frozen && read(state).equals("FROZEN");
    }

    /** A partition's directories in the two hierarchies every v1 node has, where its usage and limits are read. */
    private record MemoryAndPids(Path memory, Path pids) {
    }

    /** Empty when either directory is missing: the partition has no cgroup (yet, or any more). */
    private Optional<MemoryAndPids> memoryAndPids(String partitionId) {
        Path memory = dir("memory", partitionId);
        Path pids = dir("pids", partitionId);
        if (!Files.isDirectory(memory) || !Files.isDirectory(pids)) {
            return Optional.empty();
        }
        return Optional.of(new MemoryAndPids(memory, pids));
    }

    @Override
    public Optional<Usage> usage(String partitionId) {
        return memoryAndPids(partitionId).map(d -> new Usage(number(d.memory().resolve("memory.usage_in_bytes")),
                number(d.pids().resolve("pids.current")), counter(d.memory().resolve("memory.oom_control"), "oom_kill"),
                counter(d.pids().resolve("pids.events"), "max")));
    }

    @Override
    public Optional<PartitionLimits> limits(String partitionId) {
        Optional<MemoryAndPids> dirs = memoryAndPids(partitionId);
        if (dirs.isEmpty()) {
            return Optional.empty();
        }
        try {
            long mem = number(dirs.get().memory().resolve("memory.limit_in_bytes"));
            String max = read(dirs.get().pids().resolve("pids.max"));
            double cpus = 0;
            Path cpu = dir("cpu", partitionId);
            if (cpu != null && Files.isDirectory(cpu)) {
                long quota = Long.parseLong(read(cpu.resolve("cpu.cfs_quota_us")));
                long period = Long.parseLong(read(cpu.resolve("cpu.cfs_period_us")));
                cpus = quota <= 0 ? 0 : (double) quota / period;
            }
            return Optional.of(new PartitionLimits(mem >= UNLIMITED_ABOVE ? 0 : mem,
                    max.equals("max") ? 0 : Integer.parseInt(max), cpus));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
