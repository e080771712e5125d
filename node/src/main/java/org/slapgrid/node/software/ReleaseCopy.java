package org.slapgrid.node.software;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a release of the repository ({@code software-releases/NAME} and
 * {@code instance-profiles/NAME}, keeping their relative layout) to a world-readable place, so
 * that the unprivileged build and partition users can read it wherever the repository was
 * cloned (CI may clone below a 0700 home directory).
 */
public final class ReleaseCopy {

    private ReleaseCopy() {
    }

    /** Returns the copied {@code software.cfg}. */
    public static Path of(Path repository, String name, Path target) throws IOException {
        for (String tree : List.of("software-releases", "instance-profiles")) {
            Path from = repository.resolve(tree).resolve(name);
            if (!Files.isDirectory(from)) {
                continue;
            }
            Path to = target.resolve(tree).resolve(name);
            try (Stream<Path> walk = Files.walk(from)) {
                walk.forEach(src -> {
                    try {
                        Path dst = to.resolve(from.relativize(src).toString());
                        if (Files.isDirectory(src)) {
                            Files.createDirectories(dst);
                            Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxr-xr-x"));
                        } else {
                            Files.copy(src, dst);
                            Files.setPosixFilePermissions(dst, Files.isExecutable(src)
                                    ? PosixFilePermissions.fromString("rwxr-xr-x") : PosixFilePermissions.fromString("rw-r--r--"));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        for (Path p = target; p != null && Files.isDirectory(p); p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (p.getParent() != null && p.getParent().equals(Path.of(System.getProperty("java.io.tmpdir")))) {
                break;
            }
        }
        return target.resolve("software-releases").resolve(name).resolve("software.cfg");
    }
}
