package org.slapgrid.node.supervisor.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slapgrid.files.AtomicFiles;

/**
 * The configuration files on disk: supervisord's main file and one {@code <partition>.conf} per
 * partition in the include directory. They name every tenant's commands and paths, so they are
 * root-only (0600), and written whole (temp file, fsync, rename) so supervisord never reads one
 * half done.
 */
public final class ConfigFiles {
    private static final String MODE = "rw-------";
    private static final String SUFFIX = ".conf";

    private ConfigFiles() {
    }

    /** Writes {@code text} unless the file already holds it; true when it wrote. Mode 0600 either way. */
    public static boolean writeIfChanged(Path file, String text) {
        try {
            boolean written = AtomicFiles.writeIfChanged(file, text, MODE);
            if (!written && !PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))
                    .equals(MODE)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(MODE)); // written by an older node
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The partition files of {@code includeDir} ({@code *.conf}); none when it does not exist. */
    public static List<Path> partitionFiles(Path includeDir) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(includeDir)) {
            return files;
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(includeDir, "*" + SUFFIX)) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + includeDir, e);
        }
        return files;
    }

    /** The partition a partition file is of: its name without {@code .conf}. */
    public static String partitionId(Path partitionFile) {
        String name = partitionFile.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }
}
