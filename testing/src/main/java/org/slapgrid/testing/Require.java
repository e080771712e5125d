package org.slapgrid.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a tool, root, IPv6, a service). On a developer's machine a
 * missing need skips the test, saying why; under {@code CI=true} (where {@code .ci/run} installs
 * every need) it fails the test instead, so that a broken CI machine cannot pass by skipping.
 */
public final class Require {

    private Require() {
    }

    /** Whether this run is CI's ({@code CI=true}, as {@code .ci/run} is run). */
    public static boolean ci() {
        return ci(System.getenv());
    }

    static boolean ci(Map<String, String> env) {
        return "true".equalsIgnoreCase(env.getOrDefault("CI", ""));
    }

    /** Skips (or, under CI, fails) unless {@code condition} holds; {@code need} says what is missing and how to get it. */
    public static void that(boolean condition, String need) {
        that(condition, need, System.getenv());
    }

    static void that(boolean condition, String need, Map<String, String> env) {
        if (condition) {
            return;
        }
        if (ci(env)) {
            Assertions.fail("CI=true, and this test's need is not met (CI must provide it, not skip): " + need);
        }
        Assumptions.abort(need);
    }

    /** Every command is an executable on PATH (for example {@code gcc}, {@code make}). */
    public static void tools(String... commands) {
        tools(System.getenv(), commands);
    }

    static void tools(Map<String, String> env, String... commands) {
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        for (String command : commands) {
            boolean found = false;
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                    found = true;
                    break;
                }
            }
            that(found, command + " is not installed (apt-get install " + command + ")", env);
        }
    }

    /** The tests run as root (CI does: .ci/run runs as root); {@code why} says what needs it. */
    public static void root(String why) {
        that("root".equals(System.getProperty("user.name")), "needs root: " + why);
    }
}
