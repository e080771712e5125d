package org.slapgrid.node.scaling;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.io.UntrustedFile;
import org.slapgrid.slap.Sizes;
import org.slapgrid.node.io.PartitionStateDirectory;

/**
 * A partition's data disks at {@code srv/disk/<name>} (issue 14's {@code cluster disk-attach}):
 * an ext4 image in the node's own state ({@code var/partitions/<id>/disks/<name>.img}, root's,
 * 0600) loop-mounted {@code nosuid,nodev} where the node is root and loop devices work, else a
 * plain directory; {@link Attached#describe()} says which and why.
 *
 * <p>Root never goes through a path the partition controls: the mount point is made by the
 * partition's user, then opened link by link ({@link UntrustedFile#directory}) and mounted on
 * through {@code /proc/<pid>/fd/N}; an image is unmounted by its loop device, never by path;
 * the mount point and a directory disk are removed by the partition's user.
 */
public final class DataDisks {

    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    /** How a disk is there: a loop-mounted image or a directory, and the sentence that says so. */
    public record Attached(String name, boolean loop, long sizeBytes, String why) {
        public String describe() {
            return "srv/disk/" + name + ": " + (loop ? "loop-mounted ext4 image of " + Sizes.format(sizeBytes)
                    : "a directory (not a separate file system: " + why + ")");
        }
    }

    private final Path stateDirectory;
    private final PartitionExecutor executor;
    private final boolean multiUser;

    public DataDisks(Path stateDirectory, PartitionExecutor executor, boolean multiUser) {
        this.stateDirectory = stateDirectory;
        this.executor = executor;
        this.multiUser = multiUser;
    }

    private Path disksDir(String partitionId) {
        return PartitionStateDirectory.paths(stateDirectory, partitionId).disksDirectory();
    }

    /** The disks the node gave this partition, by name (images and directory markers). */
    public List<String> attached(String partitionId) throws IOException {
        Path dir = disksDir(partitionId);
        TreeSet<String> names = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".img") || n.endsWith(".dir"))
                        .forEach(n -> names.add(n.substring(0, n.length() - 4)));
            }
        }
        return List.copyOf(names);
    }

    /**
     * Makes disk {@code name} present (idempotent: an attached disk is mounted again after a
     * reboot, never re-made; its size is the one it was made with).
     */
    public Attached attach(Partition partition, String name, long sizeBytes, Function<Partition, RunAs> who) throws IOException {
        Path dir = disksDir(partition.id());
        Path image = dir.resolve(name + ".img");
        Path marker = dir.resolve(name + ".dir");
        Path relative = Path.of("srv", "disk", name);
        asUser(partition, who, "mkdir", "-p", partition.directory().resolve(relative).toString());
        if (Files.isRegularFile(marker)) {
            return new Attached(name, false, sizeBytes, Files.readString(marker).strip());
        }
        String noLoop = Files.isRegularFile(image) ? null : whyNoLoop();
        if (noLoop != null) {
            AtomicFiles.write(marker, noLoop + "\n", "rw-------");
            return new Attached(name, false, sizeBytes, noLoop);
        }
        if (!Files.isRegularFile(image)) {
            Files.createDirectories(dir);
            Path fresh = dir.resolve(name + ".img.new");
            try (RandomAccessFile f = new RandomAccessFile(fresh.toFile(), "rw")) {
                f.setLength(sizeBytes); // sparse: the disk takes room as it is written
            }
            long uid = org.slapgrid.node.exec.UserProcesses.uidOf(partition.user());
            long gid = gidOf(partition.user());
            run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", "-E", "root_owner=" + uid + ":" + gid, fresh.toString()));
            Files.move(fresh, image, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        if (loopOf(image).isEmpty()) {
            try (UntrustedFile.DirectoryHandle target = UntrustedFile.directory(partition.directory(), relative)) {
                run(List.of("mount", "-o", "loop,nosuid,nodev", image.toString(), target.procPath().toString()));
            }
        }
        return new Attached(name, true, Files.size(image), "");
    }

    /** Removes disk {@code name} and what is on it (absent: nothing to do). */
    public void detach(Partition partition, String name, Function<Partition, RunAs> who) throws IOException {
        Path dir = disksDir(partition.id());
        Path image = dir.resolve(name + ".img");
        Optional<String> loop = loopOf(image);
        if (loop.isPresent()) {
            run(List.of("umount", loop.get())); // by device: no path of the partition's is followed
        }
        Files.deleteIfExists(image);
        Files.deleteIfExists(dir.resolve(name + ".dir"));
        asUser(partition, who, "rm", "-rf", "--one-file-system", partition.directory().resolve("srv/disk/" + name).toString());
    }

    /** Unmounts every image of the partition (before its wipe); the images go with its state. */
    public void releaseAll(Partition partition) throws IOException {
        for (String name : attached(partition.id())) {
            Optional<String> loop = loopOf(disksDir(partition.id()).resolve(name + ".img"));
            if (loop.isPresent()) {
                ExecResult r = executor.run(List.of("umount", loop.get()), node(), Map.of(), COMMAND_TIMEOUT);
                if (!r.succeeded()) {
                    run(List.of("umount", "-l", loop.get())); // something still holds it: detach it from the tree anyway
                }
            }
        }
    }

    /** Why disks here are directories (null: loop devices work). */
    private String whyNoLoop() {
        if (!multiUser) {
            return "the node does not run as root";
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return "no loop device on this machine (/dev/loop-control is missing)";
        }
        try {
            ExecResult r = executor.run(List.of("losetup", "-f"), node(), Map.of(), COMMAND_TIMEOUT);
            return r.succeeded() ? null : "no free loop device: losetup -f " + r.summary() + " " + r.output().strip();
        } catch (IOException e) {
            return "losetup is not usable: " + e.getMessage();
        }
    }

    /** The loop device the image is attached to, if any (as {@code losetup -j} says). */
    private Optional<String> loopOf(Path image) throws IOException {
        if (!Files.isRegularFile(image)) {
            return Optional.empty();
        }
        ExecResult r = executor.run(List.of("losetup", "-j", image.toString()), node(), Map.of(), COMMAND_TIMEOUT);
        if (!r.succeeded()) {
            return Optional.empty();
        }
        return r.output().lines().map(String::strip).filter(l -> l.startsWith("/dev/loop") && l.contains(":"))
                .map(l -> l.substring(0, l.indexOf(':'))).findFirst();
    }

    private void run(List<String> command) throws IOException {
        ExecResult r = executor.run(command, node(), Map.of(), COMMAND_TIMEOUT);
        if (!r.succeeded()) {
            throw new IOException(String.join(" ", command) + ": " + r.summary() + " " + r.output().strip());
        }
    }

    private void asUser(Partition partition, Function<Partition, RunAs> who, String... command) throws IOException {
        ExecResult r = executor.run(List.of(command), who.apply(partition), Map.of(), COMMAND_TIMEOUT);
        if (!r.succeeded()) {
            throw new IOException(String.join(" ", command) + " as " + partition.user() + ": " + r.summary() + " "
                    + r.output().strip());
        }
    }

    /** The node's own identity, for root's commands (never the partition's directory as working directory). */
    private RunAs node() {
        return RunAs.currentUser(stateDirectory);
    }

    private static long gidOf(String user) throws IOException {
        ExecResult r = new PartitionExecutor().run(List.of("id", "-g", "--", user), RunAs.currentUser(Path.of("/")), Map.of(), COMMAND_TIMEOUT);
        if (!r.succeeded()) {
            throw new IOException("id -g " + user + ": " + r.summary());
        }
        return Long.parseLong(r.output().strip());
    }
}
