package org.slapgrid.node.releases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.recipes.template.jinja.Jinja2;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;

/**
 * The MariaDB service's start script never initialises over existing files: a data directory
 * that holds something other than MariaDB's system tables is refused and left as it is. (The
 * happy path, initialisation then restart over existing data, is {@link MariaDbReleaseTest}.)
 */
class MariaDbStartScriptTest {

    @TempDir
    Path tmp;

    @Test
    void refusesToInitialiseOverFilesThatAreNotADataDirectory() throws Exception {
        Path datadir = Files.createDirectories(tmp.resolve("srv/mariadb"));
        Path precious = Files.writeString(datadir.resolve("precious.txt"), "not a database");
        Path log = Files.createDirectories(tmp.resolve("var/log"));
        Path script = tmp.resolve("mariadbd-start");
        String template = Files.readString(ReleaseTrees.checkout().resolve("instance-profiles/mariadb/mariadbd-start.in"));
        // Binaries that would leave a trace: the script must not reach them.
        Path called = tmp.resolve("called");
        Path trace = Files.writeString(tmp.resolve("trace"), "#!/bin/sh\ntouch " + called + "\n");
        Files.setPosixFilePermissions(trace, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        // Rendered as the jinja2 recipe renders it (StrictUndefined: every name the script uses is given).
        Files.writeString(script, Jinja2.slapos().render("mariadbd-start.in", template, Map.of(
                "datadir", datadir.toString(), "install_db", trace.toString(), "mariadbd", trace.toString(),
                "my_cnf", tmp.resolve("my.cnf").toString(), "init_sql", tmp.resolve("init.sql").toString(),
                "log_dir", log.toString()), name -> null));

        ProcessResult r = new ProcessExecutor().command("sh", script.toString()).readOutput(true)
                .timeout(30, TimeUnit.SECONDS).execute();

        assertThat(r.getExitValue()).isEqualTo(1);
        assertThat(r.outputUTF8()).contains(datadir + " holds files but no MariaDB system tables: refusing to initialise over them");
        assertThat(precious).hasContent("not a database");
        assertThat(called).doesNotExist();
        assertThat(tmp.resolve("srv/mariadb.initialising")).doesNotExist();
    }
}
