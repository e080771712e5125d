package org.slapgrid.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Debian packages the demo needs: supervisor always, MariaDB's server and client for the
 * mariadb release. As root they are installed with apt-get; otherwise the user is told the
 * command to run.
 */
final class SystemPackages {

    private SystemPackages() {
    }

    static boolean ensure(String release, DemoCommand.Progress progress) throws IOException, InterruptedException {
        Map<String, String> needed = new LinkedHashMap<>(); // executable -> package
        needed.put("/usr/bin/supervisord", "supervisor");
        if (release.startsWith("mariadb")) {
            needed.put("/usr/sbin/mariadbd", "mariadb-server");
            needed.put("/usr/bin/mariadb", "mariadb-client");
        }
        List<String> missing = new ArrayList<>();
        needed.forEach((exe, pkg) -> {
            if (!Files.isExecutable(Path.of(exe)) && !missing.contains(pkg)) {
                missing.add(pkg);
            }
        });
        if (missing.isEmpty()) {
            progress.info("present: " + String.join(", ", new java.util.LinkedHashSet<>(needed.values())));
            return true;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            System.err.println("slapos demo: missing packages: " + String.join(" ", missing));
            System.err.println("  install them with: sudo apt-get install -y " + String.join(" ", missing));
            return false;
        }
        progress.info("installing " + String.join(" ", missing) + " with apt-get");
        if (run(List.of("apt-get", "update", "-q")) != 0) {
            System.err.println("slapos demo: apt-get update failed");
            return false;
        }
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        install.addAll(missing);
        if (run(install) != 0) {
            System.err.println("slapos demo: apt-get install " + String.join(" ", missing) + " failed");
            return false;
        }
        return true;
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        return pb.start().waitFor();
    }
}
