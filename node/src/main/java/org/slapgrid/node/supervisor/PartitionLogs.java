package org.slapgrid.node.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.slapgrid.files.AtomicFiles;

/**
 * The programs' logs, in the node's own {@code var/log/<partition>/}: supervisord opens them as
 * root, so the directory is the node's (mode 0750, the partition's group: the partition reads
 * its logs, but nothing it controls lies on the path supervisord writes), and what a removed
 * program or partition printed does not stay behind for whoever gets the partition next.
 */
final class PartitionLogs {
    private final SupervisorLayout layout;
    private final int logBackups;

    PartitionLogs(SupervisorLayout layout, int logBackups) {
        this.layout = layout;
        this.logBackups = logBackups;
    }

    /** Creates the partition's log directory when missing and sets its mode and group. */
    void ensureDirectory(PartitionPrograms p) throws IOException {
        Path logDir = layout.partitionLogDir(p.partitionId());
        if (Files.isSymbolicLink(logDir)) {
            throw new SupervisorException("partition " + p.partitionId() + ": " + logDir + " is a symbolic link");
        }
        if (!Files.isDirectory(logDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(logDir);
        }
        Files.setPosixFilePermissions(logDir, PosixFilePermissions.fromString("rwxr-x---"));
        if (Files.isDirectory(p.directory(), LinkOption.NOFOLLOW_LINKS)) {
            // the partition's own group, as format set it on the partition directory
            var group = Files.readAttributes(p.directory(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group();
            Files.getFileAttributeView(logDir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        }
    }

    /** The log of a removed program and its rotations (name.log.1, ...). */
    void deleteProgramLogs(Supervisor.Managed removed) throws IOException {
        if (removed == null || removed.spec().logFile() == null || removed.spec().logFile().toString().isEmpty()) {
            return;
        }
        Path log = removed.spec().logFile();
        Files.deleteIfExists(log);
        for (int i = 1; i <= logBackups; i++) {
            Files.deleteIfExists(log.resolveSibling(log.getFileName() + "." + i));
        }
    }

    /** A removed partition's whole log directory: root's (0750), so nothing of the partition's is followed. */
    void deleteDirectory(String partitionId) throws IOException {
        AtomicFiles.deleteTree(layout.partitionLogDir(partitionId));
    }
}
