package org.slapgrid.node.releases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Copies the project's real releases ({@code software-releases/NAME} and
 * {@code instance-profiles/NAME}, keeping their relative layout) into a test directory: the node
 * builds them as an unprivileged user, who may not be able to read the checkout itself.
 */
final class ReleaseTrees {

    private ReleaseTrees() {
    }

    /** The checkout's root: tests run in the module's directory. */
    static Path checkout() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("software-releases")) && Files.isDirectory(p.resolve("instance-profiles"))) {
                return p;
            }
        }
        throw new IllegalStateException("no software-releases/ above " + here);
    }

    /** Copies release {@code name} under {@code root}; returns the path of its software.cfg. */
    static Path copy(String name, Path root) throws IOException {
        for (String tree : new String[] {"software-releases", "instance-profiles"}) {
            Path from = checkout().resolve(tree).resolve(name);
            Path to = root.resolve(tree).resolve(name);
            if (!Files.isDirectory(from)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(from)) {
                walk.forEach(p -> {
                    try {
                        Path target = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return root.resolve("software-releases").resolve(name).resolve("software.cfg");
    }
}
