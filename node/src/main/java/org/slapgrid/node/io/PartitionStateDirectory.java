package org.slapgrid.node.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

import org.slapgrid.files.AtomicFiles;

/**
 * What the node keeps about one partition, outside the partition: {@code var/partitions/<id>/}
 * in the node's state directory. It belongs to the node (root) and, as root, to the partition's
 * group with mode 0750, so the partition's user can read its generated profile, parameters and
 * credential but change none of them, and the node never writes through a path that the
 * partition's user controls. Every file the node keeps there is named here.
 */
public final class PartitionStateDirectory {

    private final Path dir;
    private final String group;

    /**
     * @param group the partition's group, or null in single-user mode (everything is the current user's)
     */
    public PartitionStateDirectory(Path stateRoot, String partitionId, String group) {
        this.dir = stateRoot.resolve("partitions").resolve(partitionId);
        this.group = group;
    }

    /** Its paths only, for the parts that keep one file there (no group: it writes nothing shared). */
    public static PartitionStateDirectory paths(Path stateRoot, String partitionId) {
        return new PartitionStateDirectory(stateRoot, partitionId, null);
    }

    public Path path() {
        return dir;
    }

    /** The generated buildout profile the partition's buildout runs. */
    public Path profile() {
        return dir.resolve("buildout.cfg");
    }

    /** The instance as the master describes it (parameters, type, state, addresses), as JSON. */
    public Path instanceFile() {
        return dir.resolve("instance.json");
    }

    /** The instance's own secret for the master (publish, request children). */
    public Path credentialFile() {
        return dir.resolve("instance.secret");
    }

    /** What the last successful convergence was made of (inputs hash, time). */
    public Path convergedFile() {
        return dir.resolve("converged.json");
    }

    public Path promisesFile() {
        return dir.resolve("promises.json");
    }

    /** The log of the last convergence of this partition. */
    public Path logFile() {
        return dir.resolve("instance.log");
    }

    /** The partition's last disk-use measure (the disk meter's). */
    public Path diskRecord() {
        return dir.resolve("disk.json");
    }

    /** The partition's own limits, when a resize changed them from the node's. */
    public Path limitsFile() {
        return dir.resolve("limits.json");
    }

    /** The images of a cluster member's data disks. */
    public Path disksDirectory() {
        return dir.resolve("disks");
    }

    /** The node's own stops and starts by tag of the partition ({@code slapos node stop|start --tags}). */
    public Path tagRulesFile() {
        return dir.resolve("tag-rules.json");
    }

    /** A partition job's own work directory. */
    public Path jobDirectory(String jobId) {
        return dir.resolve("jobs").resolve(jobId);
    }

    public void create() throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)).equals("rwxr-x---")) {
            return; // already made: no group lookup (a read of /etc/group) on every round
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        shareWithGroup(dir);
    }

    /**
     * Writes a file the partition's user may read but not change (0640, group = partition's
     * group). Nothing is rewritten when the content is already there.
     */
    public boolean writeReadable(Path file, String content) throws IOException {
        if (AtomicFiles.hasContent(file, content)) {
            return false;
        }
        AtomicFiles.write(file, content, "rw-r-----");
        shareWithGroup(file);
        return true;
    }

    /** Writes a file that only the node reads (0600). */
    public boolean writePrivate(Path file, String content) throws IOException {
        if (AtomicFiles.hasContent(file, content)) {
            return false;
        }
        AtomicFiles.write(file, content, "rw-------");
        return true;
    }

    private void shareWithGroup(Path path) throws IOException {
        if (group == null) {
            return;
        }
        GroupPrincipal g = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (!view.readAttributes().group().equals(g)) {
            view.setGroup(g);
        }
    }
}
