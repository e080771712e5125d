package org.slapgrid.recipes.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

/**
 * File writes for recipes: atomic (temp file beside the target, then rename) so a crash never
 * leaves a half-written file, and "promise based": a file whose content and mode are already
 * right is left alone, so its mtime does not change and nothing downstream restarts.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code text} (UTF-8) if different; see {@link #write(Path, byte[], Integer)}. */
    public static boolean write(Path target, String text, Integer mode) throws IOException {
        return write(target, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    /**
     * Makes {@code target} hold {@code content} with permission bits {@code mode} (null: keep the
     * current mode, or the default for a new file). Returns true when something was written.
     */
    public static boolean write(Path target, byte[] content, Integer mode) throws IOException {
        target = target.toAbsolutePath();
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                && Arrays.equals(Files.readAllBytes(target), content)) {
            if (mode != null && Modes.get(target) != mode) {
                Modes.set(target, mode);
                return true;
            }
            return false;
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        try {
            Files.write(temp, content);
            Modes.set(temp, mode != null ? mode : (Files.exists(target) ? Modes.get(target) : 0644));
            move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
        return true;
    }

    /** Renames {@code source} over {@code target}, atomically where the file system allows. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or a whole tree (symbolic links are removed, not followed). Missing: no-op. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(path)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    deleteTree(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    /** Creates a symbolic link unless one to the same target exists; refuses to replace other files. */
    public static boolean symlink(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link)) {
            if (Files.readSymbolicLink(link).equals(target)) {
                return false;
            }
            Files.delete(link);
        } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(link.toString(), null, "exists and is not a symbolic link");
        }
        Files.createDirectories(link.toAbsolutePath().getParent());
        Files.createSymbolicLink(link, target);
        return true;
    }
}
