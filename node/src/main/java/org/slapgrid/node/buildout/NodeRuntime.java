package org.slapgrid.node.buildout;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Java runtime a partition's buildout runs on: the node's own java binary and classpath.
 * A partition's user must be able to read that classpath; when the node runs from a place
 * that user cannot reach (root's home, say), {@link #readableCopy} copies it into the node's
 * state directory with world-readable modes. Nothing secret is on the classpath.
 */
public record NodeRuntime(Path java, List<Path> classpath) {

    /** The runtime of this very process. */
    public static NodeRuntime current() {
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        List<Path> cp = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                cp.add(Path.of(entry).toAbsolutePath());
                cp.addAll(manifestClassPath(Path.of(entry).toAbsolutePath()));
            }
        }
        return new NodeRuntime(java, List.copyOf(cp));
    }

    /**
     * The entries a jar's manifest adds to the classpath. Test runners start the JVM with one
     * "manifest-only" jar whose Class-Path names everything; a copy of that jar alone would
     * leave a partition's user with references it cannot read.
     */
    static List<Path> manifestClassPath(Path entry) {
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return List.of();
        }
        try (var jar = new java.util.jar.JarFile(entry.toFile())) {
            var manifest = jar.getManifest();
            String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (cp == null || cp.isBlank()) {
                return List.of();
            }
            List<Path> out = new ArrayList<>();
            for (String ref : cp.trim().split("\\s+")) {
                java.net.URI uri = entry.getParent().toUri().resolve(ref);
                out.add(Path.of(uri));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    public String classpathString() {
        return String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList());
    }

    /**
     * This runtime with every classpath entry that others cannot read replaced by a copy under
     * {@code libDir}. Copies are refreshed only when the source is newer.
     */
    public NodeRuntime readableCopy(Path libDir) throws IOException {
        List<Path> out = new ArrayList<>();
        int i = 0;
        for (Path entry : classpath) {
            if (!Files.exists(entry) || readableByOthers(entry)) {
                out.add(entry);
                continue;
            }
            Path copy = libDir.resolve(String.format("%03d-%s", i++, entry.getFileName()));
            copyTree(entry, copy);
            out.add(copy);
        }
        makeTraversable(libDir);
        return new NodeRuntime(java, List.copyOf(out));
    }

    static boolean readableByOthers(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        if (!perms.contains(PosixFilePermission.OTHERS_READ)) {
            return false;
        }
        for (Path dir = p.getParent(); dir != null; dir = dir.getParent()) {
            if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            walk.forEach(src -> {
                Path dst = target.resolve(source.relativize(src).toString());
                try {
                    if (Files.isDirectory(src)) {
                        Files.createDirectories(dst);
                        Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else if (!Files.exists(dst) || Files.getLastModifiedTime(dst).compareTo(Files.getLastModifiedTime(src)) < 0) {
                        Files.createDirectories(dst.getParent());
                        Path tmp = dst.resolveSibling("." + dst.getFileName() + ".tmp");
                        Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                        org.slapgrid.files.AtomicFiles.move(tmp, dst);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void makeTraversable(Path libDir) throws IOException {
        if (Files.isDirectory(libDir)) {
            Files.setPosixFilePermissions(libDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
