package org.slapgrid.buildout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes profile files into a test directory. */
public final class Profiles {

    private Profiles() {
    }

    public static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Map<String, String>> resolve(Path main, String... assignments) {
        Buildout.Builder b = Buildout.builder(main);
        for (String a : assignments) {
            b.assign(a);
        }
        return b.build().resolveAll();
    }
}
