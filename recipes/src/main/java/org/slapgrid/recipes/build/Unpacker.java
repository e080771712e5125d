package org.slapgrid.recipes.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.slapgrid.recipes.support.Modes;

/**
 * Unpacks tar (plain, gz, xz, bz2) and zip archives with Commons Compress into an empty
 * directory, refusing any entry (file, link or link target) that would land outside it
 * ("zip slip"). Callers unpack into a temporary directory and rename, so a failure leaves
 * nothing half-unpacked where the result is expected.
 */
final class Unpacker {

    private Unpacker() {
    }

    /** Thrown for an archive that is malformed, unsupported or escapes its directory. */
    static final class BadArchiveException extends IOException {
        private static final long serialVersionUID = 1L;

        BadArchiveException(String message) {
            super(message);
        }
    }

    static void unpack(Path archive, String name, Path target) throws IOException {
        Files.createDirectories(target);
        Path root = target.toRealPath();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".zip") || lower.endsWith(".whl") || lower.endsWith(".jar") || isZip(archive)) {
            unzip(archive, root);
        } else {
            untar(archive, root);
        }
    }

    /**
     * The directory holding the content: the single top-level directory when {@code strip} is
     * true or, when null, when the archive has exactly one entry and it is a directory.
     */
    static Path contentRoot(Path unpacked, Boolean strip) throws IOException {
        List<Path> top;
        try (var entries = Files.list(unpacked)) {
            top = entries.toList();
        }
        boolean single = top.size() == 1 && Files.isDirectory(top.get(0), LinkOption.NOFOLLOW_LINKS);
        if (Boolean.TRUE.equals(strip) && !single) {
            throw new BadArchiveException("strip-top-level-dir is true but the archive has " + top.size()
                    + " top-level entries, not one directory");
        }
        return (strip == null ? single : strip) ? top.get(0) : unpacked;
    }

    private static boolean isZip(Path archive) throws IOException {
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }

    private static void untar(Path archive, Path root) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             InputStream decompressed = decompress(raw);
             TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Modes.set(path, (entry.getMode() & 0777) | 0700);
                } else if (entry.isSymbolicLink()) {
                    Path linkTarget = path.getParent().resolve(entry.getLinkName()).normalize();
                    if (!linkTarget.startsWith(root)) {
                        throw new BadArchiveException("refusing symbolic link '" + entry.getName() + "' -> '"
                                + entry.getLinkName() + "': it points outside the target directory");
                    }
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Path source = inside(root, entry.getLinkName());
                    Files.createDirectories(path.getParent());
                    Files.copy(source, path);
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    // A later entry of the same name wins, as with tar; a link there is replaced, not followed.
                    Files.copy(tar, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Modes.set(path, entry.getMode() & 0777);
                }
                // Devices, FIFOs and the like have no place in a software archive: skipped.
            }
        }
    }

    private static InputStream decompress(InputStream raw) throws IOException {
        try {
            String format = CompressorStreamFactory.detect(raw);
            return new CompressorStreamFactory().createCompressorInputStream(format, raw);
        } catch (CompressorException notCompressed) {
            return raw;
        }
    }

    private static void unzip(Path archive, Path root) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
            Enumeration<ZipArchiveEntry> entries = zip.getEntries();
            while (entries.hasMoreElements()) {
                ZipArchiveEntry entry = entries.nextElement();
                Path path = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isUnixSymlink()) {
                    String link = zip.getUnixSymlink(entry);
                    if (!path.getParent().resolve(link).normalize().startsWith(root)) {
                        throw new BadArchiveException("refusing symbolic link '" + entry.getName() + "' -> '"
                                + link + "': it points outside the target directory");
                    }
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(link));
                } else {
                    Files.createDirectories(path.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, path);
                    }
                    int mode = entry.getUnixMode() & 0777;
                    if (mode != 0) {
                        Modes.set(path, mode);
                    }
                }
            }
        }
    }

    /** The entry's path under root; an entry escaping root (../, absolute, via a link) is refused. */
    private static Path inside(Path root, String entryName) throws IOException {
        Path path = root.resolve(entryName).normalize();
        if (!path.startsWith(root) || path.equals(root) && !entryName.matches("\\.?/?")) {
            throw new BadArchiveException("refusing entry '" + entryName + "': it would be written outside the target directory");
        }
        // A parent that is a symbolic link could lead outside: check the real location.
        Path parent = path.getParent();
        while (parent != null && parent.startsWith(root) && !parent.equals(root)) {
            if (Files.isSymbolicLink(parent)) {
                Path real = parent.toRealPath();
                if (!real.startsWith(root)) {
                    throw new BadArchiveException("refusing entry '" + entryName + "': it goes through a link outside the target directory");
                }
            }
            parent = parent.getParent();
        }
        return path;
    }
}
