package org.slapgrid.node.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Root's work on a tree that an unprivileged user built: every step goes through a handle on
 * the directory it is in ({@link SecureDirectoryStream}: {@code openat}, {@code unlinkat},
 * {@code fchownat} with {@code O_NOFOLLOW}/{@code AT_SYMLINK_NOFOLLOW}), never through a path
 * resolved again from the top, so a directory swapped for a link while root works cannot lead
 * root out of the tree. Callers still end the user's processes first: handles make root's
 * steps safe, not the content it leaves.
 *
 * <p>Hand-written: no library walks a tree through {@code SecureDirectoryStream}, which is the
 * JDK's only access to the *at() system calls. Depth is bounded ({@value #MAX_DEPTH} levels),
 * since every level keeps a directory open.
 */
public final class TreeHandles {

    public static final int MAX_DEPTH = 128;
    private static final Set<PosixFilePermission> WRITE_BY_OTHERS =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private TreeHandles() {
    }

    /** Deletes {@code dir} and everything below it; nothing if it is absent. A link at {@code dir} itself is removed, not followed. */
    public static void delete(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        atTop(abs, (parent, name, a) -> {
            if (a.isDirectory()) {
                try (SecureDirectoryStream<Path> top = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    deleteBelow(top, abs, 1);
                }
                parent.deleteDirectory(name);
            } else {
                parent.deleteFile(name);
            }
        });
    }

    /** Deletes what is below {@code dir}: depth first, each directory once it is empty. */
    private static void deleteBelow(SecureDirectoryStream<Path> dir, Path where, int depth) throws IOException {
        walkBelow(dir, where, (d, name, path, a) -> {
            if (a.isDirectory()) {
                return true;
            }
            d.deleteFile(name);
            return false;
        }, SecureDirectoryStream::deleteDirectory, depth);
    }

    /**
     * Makes a tree that {@code builder} built root's and read-only to everyone else: every
     * entry of the builder's becomes root's (owner and group), loses group and other write
     * permission and its set-user/group-id bits; an entry of anyone else but a directory (a
     * hard link planted there) is unlinked; a directory of anyone else is refused.
     */
    public static void freeze(Path dir, UserPrincipal builder, UserPrincipal root, GroupPrincipal rootGroup) throws IOException {
        walk(dir, (d, name, path, a) -> {
            if (a.owner().equals(builder)) {
                PosixFileAttributeView v = d.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                v.setOwner(root);
                v.setGroup(rootGroup);
                if (a.isRegularFile() || a.isDirectory()) {
                    // a regular file or directory only: opening anything else (a FIFO) could block
                    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
                    perms.addAll(a.permissions());
                    perms.removeAll(WRITE_BY_OTHERS);
                    v.setPermissions(perms); // the mode is set whole: set-id and sticky bits go
                }
                return true;
            }
            return foreign(d, name, a);
        });
    }

    /**
     * Gives a tree back to its builder for another build: entries of root's become the
     * builder's, except what could be a hard link to a file of root's outside the tree (a
     * regular file with several links, or a special file), which is unlinked (the build makes
     * it again); entries of anyone else are treated as in {@link #freeze}.
     */
    public static void thaw(Path dir, UserPrincipal root, UserPrincipal builder, GroupPrincipal builderGroup) throws IOException {
        walk(dir, (d, name, path, a) -> {
            if (a.owner().equals(builder)) {
                return true;
            }
            if (a.owner().equals(root) && (a.isDirectory() || a.isSymbolicLink()
                    || (a.isRegularFile() && linkCount(path) == 1))) {
                PosixFileAttributeView v = d.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                v.setOwner(builder);
                v.setGroup(builderGroup);
                if (a.isDirectory()) {
                    Set<PosixFilePermission> perms = EnumSet.copyOf(a.permissions());
                    perms.add(PosixFilePermission.OWNER_WRITE);
                    v.setPermissions(perms);
                }
                return true;
            }
            return foreign(d, name, a);
        });
    }

    private static boolean foreign(SecureDirectoryStream<Path> d, Path name, PosixFileAttributes a) throws IOException {
        if (a.isDirectory()) {
            throw new IOException("a directory of " + a.owner().getName() + " is in the tree: refusing to take it over");
        }
        d.deleteFile(name);
        return false;
    }

    /** What to do with one entry, {@code name} in {@code dir} (known as {@code path}); returns whether to go on below it. */
    private interface Visitor {
        boolean visit(SecureDirectoryStream<Path> dir, Path name, Path path, PosixFileAttributes attributes) throws IOException;
    }

    /** What to do with directory {@code name} in {@code dir} after its entries. */
    private interface After {
        void done(SecureDirectoryStream<Path> dir, Path name) throws IOException;
    }

    /** Visits {@code dir} itself (top first, then its entries, depth first) through handles; an absent dir is nothing. */
    private static void walk(Path dir, Visitor visitor) throws IOException {
        Path abs = dir.toAbsolutePath();
        atTop(abs, (parent, name, a) -> {
            if (!a.isDirectory()) {
                throw new IOException(abs + " is not a directory");
            }
            try (SecureDirectoryStream<Path> top = parent.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                if (visitor.visit(parent, name, abs, a)) {
                    walkBelow(top, abs, visitor, null, 1);
                }
            }
        });
    }

    /** What to do with the top of a tree: its {@code name} in its {@code parent}, and its attributes. */
    private interface Top {
        void at(SecureDirectoryStream<Path> parent, Path name, PosixFileAttributes attributes) throws IOException;
    }

    /**
     * The one way in to a tree: through a handle on its parent directory and the top entry's
     * own attributes (a link is not followed); an absent top is nothing to do.
     */
    private static void atTop(Path abs, Top top) throws IOException {
        try (SecureDirectoryStream<Path> parent = open(abs.getParent())) {
            Path name = abs.getFileName();
            PosixFileAttributes a = attributes(parent, name);
            if (a != null) {
                top.at(parent, name, a);
            }
        }
    }

    /** {@code after}: what to do with a directory once what is below it was visited (null: nothing). */
    private static void walkBelow(SecureDirectoryStream<Path> dir, Path where, Visitor visitor, After after, int depth)
            throws IOException {
        for (Path name : names(dir)) {
            PosixFileAttributes a = attributes(dir, name);
            if (a == null) {
                continue;
            }
            if (a.isDirectory()) {
                checkDepth(where, depth);
                // opened before its owner changes: the handle is on this very directory
                try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                    if (visitor.visit(dir, name, where.resolve(name), a)) {
                        walkBelow(sub, where.resolve(name), visitor, after, depth + 1);
                    }
                }
                if (after != null) {
                    after.done(dir, name);
                }
            } else {
                visitor.visit(dir, name, where.resolve(name), a);
            }
        }
    }

    private static SecureDirectoryStream<Path> open(Path dir) throws IOException {
        DirectoryStream<Path> ds = Files.newDirectoryStream(dir);
        if (ds instanceof SecureDirectoryStream<Path> s) {
            return s;
        }
        ds.close();
        throw new IOException("this file system offers no directory handles (SecureDirectoryStream) for " + dir);
    }

    /** The names in a directory, read before anything in it changes. */
    private static List<Path> names(SecureDirectoryStream<Path> dir) {
        List<Path> out = new ArrayList<>();
        for (Path p : dir) {
            out.add(p.getFileName());
        }
        return out;
    }

    /** The attributes of an entry, not following a link; null when it is gone. */
    private static PosixFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The number of hard links of a file. SecureDirectoryStream has no view with it, so it is
     * read by path: only {@link #thaw} asks, on a tree that is root's and whose builder's
     * processes are gone, so that no one can change the path meanwhile.
     */
    private static int linkCount(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
    }

    private static void checkDepth(Path where, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw new IOException(where + ": the tree is deeper than " + MAX_DEPTH + " directories: refused");
        }
    }
}
