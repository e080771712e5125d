package org.slapgrid.recipes.build;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.recipes.support.Checksum;
import org.slapgrid.recipes.support.Downloader;
import org.slapgrid.recipes.support.Failures;

/**
 * Download, verify and unpack an archive into a directory, all-or-nothing: everything happens in
 * a temporary directory beside the destination, which is renamed into place at the end.
 */
final class ArchiveInstaller {

    private ArchiveInstaller() {
    }

    static void install(BuildoutContext buildout, String section, String urlOption, String url,
                        Optional<Checksum> checksum, Boolean strip, Path destination) throws IOException {
        Path parent = destination.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "." + destination.getFileName() + ".unpack-");
        try {
            String name = fileName(url);
            Path archive = work.resolve("archive-" + name);
            new Downloader(buildout, section, urlOption).download(url, checksum, archive);
            Path unpacked = work.resolve("tree");
            try {
                Unpacker.unpack(archive, name, unpacked);
                Path content = Unpacker.contentRoot(unpacked, strip);
                replace(content, destination, work);
            } catch (Unpacker.BadArchiveException e) {
                throw Failures.of(section, urlOption, "cannot unpack " + url + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw Failures.of(section, urlOption, "cannot unpack " + url + ": " + e, e);
            }
        } finally {
            AtomicFiles.deleteTree(work);
        }
    }

    /** Renames {@code content} to {@code destination}, moving an old destination away first. */
    private static void replace(Path content, Path destination, Path work) throws IOException {
        if (Files.exists(destination, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.move(destination, work.resolve("old"));
        }
        Files.move(content, destination);
    }

    /** The last path component of a URL or path, without query. */
    static String fileName(String url) {
        String path = url;
        try {
            if (url.contains("://")) {
                path = URI.create(url).getPath();
            }
        } catch (IllegalArgumentException e) {
            // not a URI: use it as a path
        }
        if (path == null || path.isEmpty()) {
            return "download";
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "download" : name;
    }
}
