package org.slapgrid.recipes.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Skips a test, saying why, when a system tool it drives is not installed. */
public final class Tools {

    private Tools() {
    }

    public static void assumeInstalled(String... commands) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String command : commands) {
            boolean found = false;
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                    found = true;
                    break;
                }
            }
            Assumptions.assumeTrue(found, command + " is not installed (apt-get install " + command + ")");
        }
    }
}
