package org.slapgrid.node.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A member's backup part: a directory packed as tar.gz (Apache Commons Compress) with its
 * sha256, and unpacked again. Only regular files and directories go in or come out: a link, a
 * device or a FIFO in a backup is refused (naming it), as is an entry leaving the directory.
 * Packing reads a tree root owns by then (the job handed it back), never following a link.
 */
public final class PartArchive {

    private PartArchive() {
    }

    /** What was packed: the archive's sha256, its size and how many files it holds. */
    public record Packed(String sha256, long size, int files) {
    }

    public static Packed pack(Path directory, Path archive) throws IOException {
        MessageDigest sha = sha256();
        int[] files = new int[1];
        try (OutputStream file = Files.newOutputStream(archive, StandardOpenOption.CREATE_NEW);
             DigestOutputStream digest = new DigestOutputStream(file, sha);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(digest);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(directory)) {
                        TarArchiveEntry e = new TarArchiveEntry(directory.relativize(dir).toString() + "/");
                        e.setMode(0755);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String name = directory.relativize(f).toString();
                    if (!attrs.isRegularFile()) {
                        throw new IOException("the backup holds " + (attrs.isSymbolicLink() ? "a symbolic link" : "a special file")
                                + " '" + name + "': only regular files and directories are backed up");
                    }
                    TarArchiveEntry e = new TarArchiveEntry(name);
                    e.setSize(attrs.size());
                    e.setMode(Files.isExecutable(f) ? 0755 : 0644);
                    tar.putArchiveEntry(e);
                    try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                        long copied = in.transferTo(tar);
                        if (copied != attrs.size()) {
                            throw new IOException("'" + name + "' changed while it was packed");
                        }
                    }
                    tar.closeArchiveEntry();
                    files[0]++;
                    return FileVisitResult.CONTINUE;
                }
            });
            tar.finish();
        }
        return new Packed(HexFormat.of().formatHex(sha.digest()), Files.size(archive), files[0]);
    }

    /** The sha256 of a file, hex. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Unpacks {@code archive} into the empty directory {@code target}; returns how many files it wrote. */
    public static int unpack(Path archive, Path target) throws IOException {
        int files = 0;
        Path root = target.toAbsolutePath().normalize();
        try (InputStream file = Files.newInputStream(archive);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path to = root.resolve(e.getName()).normalize();
                if (!to.startsWith(root) || to.equals(root) && !e.isDirectory()) {
                    throw new IOException("the backup part's entry '" + e.getName() + "' leaves its directory: refused");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else if (e.isFile()) {
                    Files.createDirectories(to.getParent());
                    try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
                        tar.transferTo(out);
                    }
                    if ((e.getMode() & 0100) != 0) {
                        to.toFile().setExecutable(true, false);
                    }
                    files++;
                } else {
                    throw new IOException("the backup part's entry '" + e.getName() + "' is not a file or a directory: refused");
                }
            }
        }
        return files;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
