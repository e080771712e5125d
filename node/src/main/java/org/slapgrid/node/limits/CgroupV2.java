package org.slapgrid.node.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * cgroup v2: one unified hierarchy; the node's parent enables the pids, memory (and cpu when
 * available) controllers for its children in every {@code cgroup.subtree_control} from the
 * mount down. v2 refuses that in a cgroup that holds processes (no internal processes), so the
 * parent must be below a cgroup without any: the root, or one delegated to the node (systemd
 * {@code Delegate=yes}; set {@code cgroup_parent} then). Swap counts against nothing: it is
 * turned off for partitions ({@code memory.swap.max = 0}) so the limit holds.
 */
final class CgroupV2 extends KernelCgroups {

    private static final long CPU_PERIOD_US = 100_000;

    private final Path mount;
    private final Path parent;

    CgroupV2(Path mount, Path parent, Path launcherDir) {
        super(launcherDir);
        this.mount = mount;
        this.parent = parent;
    }

    @Override
    public Availability availability() {
        return new Availability(true, "v2", "partitions below " + parent);
    }

    @Override
    List<Path> parents() {
        return List.of(parent);
    }

    @Override
    void ensureParents() throws IOException {
        Files.createDirectories(parent);
        // enable the controllers on the way down, from the mount to the node's parent
        List<Path> chain = new ArrayList<>();
        for (Path p = parent; p != null && p.startsWith(mount); p = p.getParent()) {
            chain.add(0, p);
        }
        for (Path p : chain) {
            String available = read(p.resolve("cgroup.controllers"));
            String enabled = read(p.resolve("cgroup.subtree_control"));
            for (String c : List.of("pids", "memory", "cpu")) {
                if ((" " + available + " ").contains(" " + c + " ") && !(" " + enabled + " ").contains(" " + c + " ")) {
                    try {
                        write(p.resolve("cgroup.subtree_control"), "+" + c);
                    } catch (IOException e) {
                        if (!c.equals("cpu")) {
                            throw new IOException("cgroup v2: cannot enable the " + c + " controller below " + p
                                    + " (a cgroup holding processes cannot delegate controllers: set [slapos]"
                                    + " cgroup_parent to a cgroup without processes, or run the node with systemd"
                                    + " Delegate=yes): " + e.getMessage(), e);
                        }
                    }
                }
            }
        }
    }

    private Path dir(String partitionId) {
        return parent.resolve(partitionId);
    }

    @Override
    void writeLimits(String partitionId, PartitionLimits limits) throws IOException {
        Path d = dir(partitionId);
        setIfDifferent(d.resolve("pids.max"), limits.maxProcesses() == 0 ? "max" : Integer.toString(limits.maxProcesses()));
        setIfDifferent(d.resolve("memory.max"), limits.memoryBytes() == 0 ? "max" : Long.toString(limits.memoryBytes() / 4096 * 4096));
        if (Files.exists(d.resolve("memory.swap.max"))) {
            setIfDifferent(d.resolve("memory.swap.max"), limits.memoryBytes() == 0 ? "max" : "0");
        }
        Path cpu = d.resolve("cpu.max");
        if (!Files.exists(cpu)) {
            if (limits.cpus() != 0) {
                throw new IOException("a CPU limit is set but the cgroup v2 cpu controller is not enabled for " + d);
            }
            return;
        }
        setIfDifferent(cpu, (limits.cpus() == 0 ? "max" : Long.toString(Math.round(limits.cpus() * CPU_PERIOD_US)))
                + " " + CPU_PERIOD_US);
    }

    private static void setIfDifferent(Path file, String value) throws IOException {
        if (!read(file).equals(value)) {
            write(file, value);
        }
    }

    @Override
    boolean killAll(String partitionId) throws IOException {
        Path kill = dir(partitionId).resolve("cgroup.kill");
        if (!Files.exists(kill)) {
            return false; // before Linux 5.14
        }
        write(kill, "1");
        return true;
    }

    @Override
    boolean freeze(String partitionId, boolean frozen) throws IOException {
        Path f = dir(partitionId).resolve("cgroup.freeze");
        if (!Files.exists(f)) {
            return false;
        }
        write(f, frozen ? "1" : "0");
        for (int i = 0; frozen && i < 500 && counter(dir(partitionId).resolve("cgroup.events"), "frozen") != 1; i++) {
            pause();
        }
        return frozen;
    }

    @Override
    public Optional<Usage> usage(String partitionId) {
        Path d = dir(partitionId);
        if (!Files.isDirectory(d)) {
            return Optional.empty();
        }
        return Optional.of(new Usage(number(d.resolve("memory.current")), number(d.resolve("pids.current")),
                counter(d.resolve("memory.events"), "oom_kill"), counter(d.resolve("pids.events"), "max")));
    }

    @Override
    public Optional<PartitionLimits> limits(String partitionId) {
        Path d = dir(partitionId);
        if (!Files.isDirectory(d)) {
            return Optional.empty();
        }
        try {
            String mem = read(d.resolve("memory.max"));
            String pids = read(d.resolve("pids.max"));
            double cpus = 0;
            if (Files.exists(d.resolve("cpu.max"))) {
                String[] f = read(d.resolve("cpu.max")).split(" ");
                cpus = f[0].equals("max") ? 0 : Double.parseDouble(f[0]) / Double.parseDouble(f[1]);
            }
            return Optional.of(new PartitionLimits(mem.equals("max") ? 0 : Long.parseLong(mem),
                    pids.equals("max") ? 0 : Integer.parseInt(pids), cpus));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
