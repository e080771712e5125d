package org.slapgrid.node.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * A read by root of a file that a less privileged user controls (a partition's
 * {@code etc/service/*}): such a user can swap the file, at any moment, for a link to a
 * root-only file, a FIFO (an {@code open()} that never returns), a device, or a 50 GB sparse
 * file. So the file is reached from a trusted directory one component at a time without
 * following any link ({@code openat} with {@code O_NOFOLLOW}; directories with
 * {@code O_DIRECTORY}), opened {@code O_NONBLOCK} (a FIFO opens at once), checked to be a
 * regular file on the opened descriptor (not by path: no check-then-open race), and read only
 * up to a bound. Anything else is reported as what it is, never read.
 *
 * <p>Hand-written on JNA because the JDK has no non-blocking open: every
 * {@code Files.newInputStream}/{@code FileChannel.open}, also through a
 * {@code SecureDirectoryStream}, blocks on a FIFO.
 */
public final class UntrustedFile {

    /** What was found at the path. */
    public enum Kind { REGULAR, TOO_LARGE, SYMLINK, NOT_REGULAR, MISSING, UNSUPPORTED_PLATFORM }

    /**
     * The outcome: for {@code REGULAR}, the content (at most the bound); for {@code TOO_LARGE},
     * size and modification time only; for {@code SYMLINK}, the link's target as text (the link
     * is not followed).
     */
    public record Read(Kind kind, byte[] content, long size, long modifiedMillis, String linkTarget) {

        /**
         * Bytes that change when the file does, for a digest: the content when it was read,
         * else what is known of it (a link's target, a large file's size and time, its kind).
         */
        public byte[] identity() {
            String known = switch (kind) {
                case REGULAR -> null;
                case SYMLINK -> "symlink:" + linkTarget;
                case TOO_LARGE, UNSUPPORTED_PLATFORM -> "size:" + size + " modified:" + modifiedMillis;
                case NOT_REGULAR -> "not a regular file";
                case MISSING -> "missing";
            };
            return known == null ? content : known.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final int ELOOP = 40; // same on every Linux architecture the flags below cover
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    private static final Flags FLAGS = Flags.forThisPlatform();

    private UntrustedFile() {
    }

    /**
     * Reads {@code relative} (a path below {@code trustedDirectory}, whose every component may be
     * controlled by the other user) if it is a regular file of at most {@code limit} bytes.
     * {@code trustedDirectory} itself, and the path leading to it, must be the node's own.
     */
    public static Read read(Path trustedDirectory, Path relative, int limit) throws IOException {
        boolean plain = !relative.isAbsolute() && relative.getNameCount() > 0;
        for (Path name : relative) {
            plain &= !name.toString().equals("..") && !name.toString().equals(".") && !name.toString().isEmpty();
        }
        if (!plain) {
            throw new IllegalArgumentException("not a plain relative path: " + relative);
        }
        if (FLAGS == null) {
            return metadataOnly(trustedDirectory.resolve(relative));
        }
        LibC c = LibC.INSTANCE;
        int dir = open(() -> c.open(trustedDirectory.toString(), FLAGS.directory()));
        try {
            for (int i = 0; i < relative.getNameCount() - 1; i++) {
                String name = relative.getName(i).toString();
                int next;
                try {
                    final int parent = dir;
                    next = open(() -> c.openat(parent, name, FLAGS.directory() | FLAGS.noFollow()));
                } catch (LastErrorException e) {
                    return notFound(e);
                }
                c.close(dir);
                dir = next;
            }
            String name = relative.getFileName().toString();
            int fd;
            try {
                final int parent = dir;
                fd = open(() -> c.openat(parent, name, FLAGS.readNonBlocking() | FLAGS.noFollow()));
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ELOOP) {
                    return new Read(Kind.SYMLINK, null, -1, -1, readLink(c, dir, name));
                }
                return notFound(e);
            }
            try {
                return readOpened(c, fd, limit);
            } finally {
                c.close(fd);
            }
        } finally {
            c.close(dir);
        }
    }

    /**
     * A directory below {@code trustedDirectory} opened without following any link on the way
     * (each component with {@code O_NOFOLLOW|O_DIRECTORY}), for root to act on that very
     * directory through {@link DirectoryHandle#procPath()} (a mount target, say) although its
     * user may swap the path for a link at any moment.
     *
     * @throws IOException when a component is missing, a link or not a directory
     */
    public static DirectoryHandle directory(Path trustedDirectory, Path relative) throws IOException {
        if (relative.isAbsolute() || relative.getNameCount() == 0) {
            throw new IllegalArgumentException("not a plain relative path: " + relative);
        }
        if (FLAGS == null) {
            throw new IOException("cannot open a directory safely on this platform (" + Platform.ARCH + ")");
        }
        LibC c = LibC.INSTANCE;
        int dir = open(() -> c.open(trustedDirectory.toString(), FLAGS.directory()));
        for (Path component : relative) {
            String name = component.toString();
            if (name.equals("..") || name.equals(".") || name.isEmpty()) {
                c.close(dir);
                throw new IllegalArgumentException("not a plain relative path: " + relative);
            }
            int next;
            try {
                final int parent = dir;
                next = open(() -> c.openat(parent, name, FLAGS.directory() | FLAGS.noFollow()));
            } catch (LastErrorException e) {
                c.close(dir);
                throw new IOException(trustedDirectory.resolve(relative) + ": '" + name + "' is missing, a link or not a"
                        + " directory (errno " + e.getErrorCode() + ")");
            }
            c.close(dir);
            dir = next;
        }
        return new DirectoryHandle(dir);
    }

    /** An open directory of {@link #directory}; close it when done. */
    public record DirectoryHandle(int fd) implements AutoCloseable {

        /** The path through which another process of root's reaches this very directory. */
        public Path procPath() {
            return Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
        }

        @Override
        public void close() {
            LibC.INSTANCE.close(fd);
        }
    }

    private static Read readOpened(LibC c, int fd, int limit) throws IOException {
        // fstat without a platform-specific struct: /proc/self/fd/N is the very file opened
        BasicFileAttributes a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            return new Read(Kind.NOT_REGULAR, null, -1, -1, null);
        }
        long modified = a.lastModifiedTime().toMillis();
        if (a.size() > limit) {
            return new Read(Kind.TOO_LARGE, null, a.size(), modified, null);
        }
        byte[] buf = new byte[limit + 1];
        int total = 0;
        while (total < buf.length) {
            byte[] chunk = new byte[Math.min(65536, buf.length - total)];
            long n;
            try {
                n = c.read(fd, chunk, new NativeLong(chunk.length)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    continue;
                }
                throw new IOException("cannot read: errno " + e.getErrorCode(), e);
            }
            if (n <= 0) {
                break;
            }
            System.arraycopy(chunk, 0, buf, total, (int) n);
            total += (int) n;
        }
        if (total > limit) { // grew while being read
            return new Read(Kind.TOO_LARGE, null, total, modified, null);
        }
        return new Read(Kind.REGULAR, Arrays.copyOf(buf, total), total, modified, null);
    }

    private static String readLink(LibC c, int dir, String name) {
        byte[] buf = new byte[4096];
        try {
            long n = c.readlinkat(dir, name, buf, new NativeLong(buf.length)).longValue();
            return new String(buf, 0, (int) Math.max(0, n), StandardCharsets.UTF_8);
        } catch (LastErrorException e) {
            return "";
        }
    }

    private static Read notFound(LastErrorException e) {
        // anything else (ELOOP, ENOTDIR: a link or a file where a directory should be; EACCES...) is not read
        return new Read(e.getErrorCode() == ENOENT ? Kind.MISSING : Kind.NOT_REGULAR, null, -1, -1, null);
    }

    /** Where the open flags are unknown: lstat only (never blocks, never follows), no content. */
    private static Read metadataOnly(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return new Read(Kind.MISSING, null, -1, -1, null);
        }
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new Read(Kind.UNSUPPORTED_PLATFORM, null, a.size(), a.lastModifiedTime().toMillis(), null);
    }

    private interface Open {
        int call() throws LastErrorException;
    }

    private static int open(Open o) {
        while (true) {
            try {
                return o.call();
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw e;
                }
            }
        }
    }

    /**
     * The open(2) flags, which differ between Linux architectures: the generic values
     * (x86, riscv, s390x, loongarch) and those of arm/aarch64 and powerpc. Other architectures
     * (mips, sparc, alpha, parisc) get {@code null}: metadata only.
     */
    private record Flags(int directory, int noFollow, int readNonBlocking) {
        static final int O_RDONLY = 0;
        static final int O_NONBLOCK = 04000;
        static final int O_NOCTTY = 0400;
        static final int O_CLOEXEC = 02000000;

        static Flags forThisPlatform() {
            if (!Platform.isLinux()) {
                return null;
            }
            int common = O_RDONLY | O_CLOEXEC | O_NOCTTY;
            if (Platform.isARM() || Platform.isPPC()) {
                return new Flags(common | 040000, 0100000, common | O_NONBLOCK);
            }
            if (Platform.isIntel() || Platform.ARCH.startsWith("riscv") || Platform.ARCH.startsWith("s390")
                    || Platform.ARCH.startsWith("loongarch")) {
                return new Flags(common | 0200000, 0400000, common | O_NONBLOCK);
            }
            return null;
        }
    }

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int openat(int dirfd, String path, int flags) throws LastErrorException;

        NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

        NativeLong readlinkat(int dirfd, String path, byte[] buf, NativeLong size) throws LastErrorException;

        int close(int fd);
    }
}
