package org.slapgrid.cli.demo;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slapgrid.cli.Main;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.node.software.ReleaseCopy;

/**
 * Where the demo keeps things. As root the node lives in {@code /srv/slapgrid-demo} (partition
 * users must be able to reach their directories, which they cannot below root's 0700 home);
 * otherwise in {@code ~/.slapos/demo}. The master uses the console's defaults
 * ({@code ~/.slapos/master}), so `slapos list` works afterwards with no configuration.
 */
record DemoPlace(Path repository, Path directory, Path masterData) {

    /** The master's data: the console's default on the default port, else DIR/master (never another demo's). */
    static DemoPlace resolve(Path dirOption, int port) {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path home = Path.of(System.getProperty("user.home"));
        Path dir = dirOption != null ? dirOption.toAbsolutePath()
                : root ? Path.of("/srv/slapgrid-demo") : home.resolve(".slapos/demo");
        return new DemoPlace(findRepository(), dir, port == DemoCommand.PORT ? home.resolve(".slapos/master") : dir.resolve("master"));
    }

    /** Where the demo's master writes its admin token: the master's own place for it in its data directory. */
    Path adminToken() {
        return MasterConfig.defaults(masterData).adminTokenFile();
    }

    Path nodeConfig() {
        return directory.resolve("etc/slapos.cfg");
    }

    /** A readable copy of the repository's release, kept in the demo directory; returns its software.cfg. */
    Path copyRelease(String name) throws IOException {
        Path target = directory.resolve("releases");
        Path copied = target.resolve("software-releases").resolve(name).resolve("software.cfg");
        if (Files.isRegularFile(copied)) {
            return copied; // reuse: the node built this very path already
        }
        if (name.equals(ClusterDemo.RELEASE) && !Files.isRegularFile(target.resolve("software-releases/mariadb/software.cfg"))) {
            ReleaseCopy.of(repository, "mariadb", target); // the release it extends
        }
        return ReleaseCopy.of(repository, name, target);
    }

    /** The repository: $SLAPGRID_HOME (set by bin/slapos), else the folder above cli/target/slapos.jar, else here. */
    private static Path findRepository() {
        String env = System.getenv("SLAPGRID_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("software-releases"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }
}
