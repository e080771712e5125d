package org.slapgrid.node.limits;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What cgroup v1 and v2 share: the partition's directories below the node's parent(s), the
 * launcher prefix, killing what is left (frozen first, so nothing forks or exits while the
 * pids are read: a pid read from cgroup.procs stays that process's) and removing.
 */
abstract class KernelCgroups implements CgroupController {

    private static final Pattern PARTITION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final long EMPTY_TIMEOUT_NANOS = 10_000_000_000L;

    private final Path launcherDir;
    private volatile Path launcher;

    KernelCgroups(Path launcherDir) {
        this.launcherDir = launcherDir;
    }

    /** The node's parent directories (one per v1 controller; one for v2). */
    abstract List<Path> parents();

    /** Makes the parents exist, with whatever a version needs to delegate controllers to children. */
    abstract void ensureParents() throws IOException;

    abstract void writeLimits(String partitionId, PartitionLimits limits) throws IOException;

    /** Stops every process of the cgroup (frozen) or kills them at once; returns true when it froze. */
    abstract boolean freeze(String partitionId, boolean frozen) throws IOException;

    /** Kills the whole cgroup at once when the kernel can (v2's cgroup.kill); false when it cannot. */
    boolean killAll(String partitionId) throws IOException {
        return false;
    }

    final List<Path> directories(String partitionId) {
        if (!PARTITION_ID.matcher(partitionId).matches()) {
            throw new IllegalArgumentException("not a partition id: '" + partitionId + "'");
        }
        return parents().stream().map(p -> p.resolve(partitionId)).toList();
    }

    @Override
    public final void apply(String partitionId, PartitionLimits limits) throws IOException {
        ensureParents();
        for (Path d : directories(partitionId)) {
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(d);
            }
        }
        writeLimits(partitionId, limits);
    }

    @Override
    public final List<String> enterCommand(String partitionId) {
        Path l = launcher;
        if (l == null) {
            l = launcher = Launcher.install(launcherDir);
        }
        List<String> argv = new ArrayList<>();
        argv.add(l.toString());
        directories(partitionId).forEach(d -> argv.add(d.toString()));
        argv.add("--");
        return List.copyOf(argv);
    }

    @Override
    public final void release(String partitionId) throws IOException {
        List<Path> dirs = directories(partitionId).stream().filter(Files::isDirectory).toList();
        if (dirs.isEmpty()) {
            return;
        }
        if (!killAll(partitionId)) {
            boolean frozen = freeze(partitionId, true);
            try {
                for (int round = 0; round < 100; round++) {
                    Set<Long> pids = pids(dirs);
                    if (pids.isEmpty()) {
                        break;
                    }
                    pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                    if (frozen) {
                        break; // frozen processes neither fork nor exit: one pass got them all
                    }
                }
            } finally {
                if (frozen) {
                    freeze(partitionId, false); // the SIGKILLs are delivered on thaw
                }
            }
        }
        long deadline = System.nanoTime() + EMPTY_TIMEOUT_NANOS;
        while (!pids(dirs).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("processes are left in the cgroup of " + partitionId + " after SIGKILL: " + pids(dirs));
            }
            pause();
        }
        for (Path d : dirs) {
            Files.deleteIfExists(d); // rmdir: a cgroup directory goes with its (virtual) files
        }
    }

    @Override
    public final void releaseAll() throws IOException {
        for (Path parent : parents()) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            List<String> children = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, Files::isDirectory)) {
                s.forEach(p -> children.add(p.getFileName().toString()));
            }
            for (String c : children) {
                release(c);
            }
        }
        for (Path parent : parents()) {
            Files.deleteIfExists(parent);
        }
    }

    static Set<Long> pids(List<Path> dirs) throws IOException {
        Set<Long> out = new TreeSet<>();
        for (Path d : dirs) {
            Path procs = d.resolve("cgroup.procs");
            if (!Files.exists(procs)) {
                continue;
            }
            for (String line : Files.readAllLines(procs)) {
                if (!line.isBlank()) {
                    out.add(Long.parseLong(line.strip()));
                }
            }
        }
        return out;
    }

    static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    /** A counter from a flat-keyed file such as memory.events ("oom_kill 3"); 0 when absent. */
    static long counter(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2 && f[0].equals(key)) {
                    return Long.parseLong(f[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // absent on this kernel
        }
        return 0;
    }

    static long number(Path file) {
        try {
            return Long.parseLong(read(file));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static void pause() throws IOException {
        try {
            Thread.sleep(20); // the kernel finishes killing asynchronously: poll briefly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
