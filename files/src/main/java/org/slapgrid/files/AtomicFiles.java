package org.slapgrid.files;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one way slapgrid writes a state file, so that a crash at any moment leaves either the old
 * or the new content: the bytes go to a temporary file beside the target, which is fsynced,
 * given its mode (and owner, when one is given) and only then renamed over the target; the
 * directory is fsynced after the rename so the rename itself survives a power loss. The file
 * never exists at the target with the wrong mode or owner, not even for an instant.
 *
 * <p>{@code writeIfChanged} leaves a file that already holds the content alone (its mtime does
 * not move, so nothing downstream sees a change; only a wrong mode is corrected).
 * Hand-written: Commons IO has no durable (fsynced) atomic write, and this is a few calls of
 * the JDK.
 */
public final class AtomicFiles {

    /** Who owns a written file: a user and/or a group by name (null: the writer's, unchanged). */
    public record Owner(String user, String group) {
        public static Owner group(String group) {
            return new Owner(null, group);
        }
    }

    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private AtomicFiles() {
    }

    /** Writes {@code content} (UTF-8) with {@code mode} ("rw-------"), durably; see the class comment. */
    public static void write(Path target, String content, String mode) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString(mode), null);
    }

    /** Writes {@code bytes} with {@code mode} ("rw-------"), durably. */
    public static void write(Path target, byte[] bytes, String mode) throws IOException {
        write(target, bytes, PosixFilePermissions.fromString(mode), null);
    }

    /**
     * Writes {@code bytes} with {@code mode} and, when {@code owner} is not null, that owner
     * (set on the temporary file, before the rename), durably.
     */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> mode, Owner owner) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // created 0600 whatever the umask, so no one else reads it before its mode is set
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (owner != null) {
                own(tmp, owner);
            }
            Files.setPosixFilePermissions(tmp, mode);
            rename(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Writes {@code content} unless the file already holds exactly it (a wrong mode is still corrected); true when something changed. */
    public static boolean writeIfChanged(Path target, String content, String mode) throws IOException {
        return writeIfChanged(target, content.getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString(mode), null);
    }

    /** The same for recipes' numeric modes: {@code mode} null keeps the file's mode (0644 for a new file). */
    public static boolean writeIfChanged(Path target, String content, Integer mode) throws IOException {
        return writeIfChanged(target, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    /** The same with bytes and a numeric mode (null: keep the file's mode, 0644 for a new file). */
    public static boolean writeIfChanged(Path target, byte[] content, Integer mode) throws IOException {
        Path t = target.toAbsolutePath();
        PosixFileAttributes now = regularFile(t);
        Set<PosixFilePermission> perms = mode != null ? permissions(mode) : now != null ? now.permissions() : permissions(0644);
        return writeIfChanged(t, content, perms, null, now);
    }

    /** Writes unless the file holds {@code content} with {@code mode} and {@code owner} already; true when something changed. */
    public static boolean writeIfChanged(Path target, byte[] content, Set<PosixFilePermission> mode, Owner owner) throws IOException {
        return writeIfChanged(target, content, mode, owner, regularFile(target));
    }

    /**
     * {@code now}: the target's attributes, null unless a regular file. One lstat, then a read
     * only when the size matches: an unchanged re-run does this for every file every recipe
     * writes, and each call of {@code Files} is a stat of its own.
     */
    private static boolean writeIfChanged(Path target, byte[] content, Set<PosixFilePermission> mode, Owner owner,
                                          PosixFileAttributes now) throws IOException {
        if (now != null && now.size() == content.length && holds(target, content)) {
            boolean changed = false;
            if (!now.permissions().equals(mode)) {
                Files.setPosixFilePermissions(target, mode);
                changed = true;
            }
            if (owner != null) {
                changed |= own(target, owner);
            }
            return changed;
        }
        write(target, content, mode, owner);
        return true;
    }

    /** The attributes of {@code path} if it is a regular file (links not followed), else null. */
    private static PosixFileAttributes regularFile(Path path) throws IOException {
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** True when the file's first bytes are exactly {@code content} and there is no more. */
    private static boolean holds(Path file, byte[] content) throws IOException {
        try (InputStream in = new FileInputStream(file.toFile())) {
            return Arrays.equals(in.readNBytes(content.length + 1), content);
        }
    }

    /** True when the file exists and holds exactly {@code content}: lets callers skip rewrites. */
    public static boolean hasContent(Path target, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return Files.isRegularFile(target) && Files.size(target) == bytes.length
                && Arrays.equals(Files.readAllBytes(target), bytes);
    }

    /** Renames {@code source} over {@code target} atomically (where the file system allows), durably. */
    public static void move(Path source, Path target) throws IOException {
        rename(source, target);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Deletes a file or a directory tree, links included but never followed (a link planted in
     * the tree is removed, not what it points to). An absent path is fine.
     */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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

    /** Permission bits (0644) as a set. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(BITS[i]);
            }
        }
        return s;
    }

    private static void rename(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    /** Gives {@code path} (never followed) the owner's user and group; true when one changed. */
    private static boolean own(Path path, Owner owner) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipalLookupService names = path.getFileSystem().getUserPrincipalLookupService();
        var attributes = view.readAttributes();
        boolean changed = false;
        if (owner.user() != null) {
            var u = names.lookupPrincipalByName(owner.user());
            if (!attributes.owner().equals(u)) {
                view.setOwner(u);
                changed = true;
            }
        }
        if (owner.group() != null) {
            var g = names.lookupPrincipalByGroupName(owner.group());
            if (!attributes.group().equals(g)) {
                view.setGroup(g);
                changed = true;
            }
        }
        return changed;
    }
}
