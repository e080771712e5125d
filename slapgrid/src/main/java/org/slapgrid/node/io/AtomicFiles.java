package org.slapgrid.node.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes state files so that a crash at any moment leaves either the old or the new content:
 * write a temporary file in the same directory, fsync it, then rename it over the target.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    public static void write(Path target, String content, String mode) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** Writes {@code bytes} to {@code target} atomically, with the given mode ("rw-------"). */
    public static void write(Path target, byte[] bytes, String mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(perms));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, perms); // createTempFile's attribute is subject to the umask
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code content} unless the file already holds exactly it; returns whether it wrote. */
    public static boolean writeIfChanged(Path target, String content, String mode) throws IOException {
        if (hasContent(target, content)) {
            return false;
        }
        write(target, content, mode);
        return true;
    }

    /**
     * Deletes a file or a directory tree, links included but never followed (a link planted in
     * the tree is removed, not what it points to). An absent path is fine.
     */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** True when the file exists and holds exactly {@code content}: lets callers skip rewrites. */
    public static boolean hasContent(Path target, String content) throws IOException {
        return Files.isRegularFile(target)
                && Files.size(target) == content.getBytes(StandardCharsets.UTF_8).length
                && Files.readString(target).equals(content);
    }
}
