package org.slapgrid.node.limits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.slapgrid.files.AtomicFiles;

/**
 * The node's launcher: a root-owned shell script, run as root, that writes its own pid into the
 * {@code cgroup.procs} of each cgroup directory it is given, then execs the rest of its command
 * line (which keeps the pid, so supervisord signals the program itself). The user switch comes
 * after it on the command line ({@code setpriv} for services, {@code runuser} for the executor),
 * so the partition's code never runs outside its cgroup, not even for an instant.
 *
 * <p>Hand-written because Debian has no tool that joins given cgroup directories on both v1
 * and v2 without a daemon or a rules file ({@code cgexec} needs libcgroup's configuration).
 * It fails closed: when it cannot join, it runs nothing.
 */
final class Launcher {

    static final String NAME = "enter-cgroups";

    private static final String SCRIPT = """
            #!/bin/sh
            # Written by the slapgrid node (org.slapgrid.node.limits.Launcher): do not edit.
            # Usage: enter-cgroups CGROUP_DIR... -- COMMAND [ARG]...
            # Joins each cgroup (its own pid, kept by exec, into CGROUP_DIR/cgroup.procs), then
            # runs COMMAND. Runs nothing when it cannot join: a partition never runs unlimited.
            while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
              if ! echo "$$" 2>/dev/null > "$1/cgroup.procs"; then
                echo "slapgrid: cannot join the partition's cgroup $1; not starting (the next node round creates it)" >&2
                exit 126
              fi
              shift
            done
            if [ "$1" != "--" ] || [ "$#" -lt 2 ]; then
              echo "usage: enter-cgroups CGROUP_DIR... -- COMMAND [ARG]..." >&2
              exit 2
            fi
            shift
            exec "$@"
            """;

    private Launcher() {
    }

    /** Writes the launcher (0755, in a 0755 directory) when missing or changed; returns its path. */
    static Path install(Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                throw new IOException(dir + " is a symbolic link");
            }
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path script = dir.resolve(NAME);
            AtomicFiles.writeIfChanged(script, SCRIPT, "rwxr-xr-x");
            if (!Files.isExecutable(script) || Files.isSymbolicLink(script)
                    || !Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(script + " is not an executable regular file");
            }
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the cgroup launcher in " + dir + ": " + e.getMessage(), e);
        }
    }
}
