package org.slapgrid.node.supervisor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the node's supervisord keeps its files. {@link #under(Path)} gives the layout of design
 * section 5: {@code etc/supervisord.conf}, {@code etc/supervisord.conf.d/<partition>.conf}, and
 * socket, pid and log under {@code var/}. Only the partitions' own log directories
 * ({@code var/log/<partition>/}) are open to partitions; supervisord's log (which names every
 * tenant's programs) is in a root-only {@code var/log/supervisord/}.
 */
public record SupervisorLayout(Path configFile, Path includeDir, Path socket, Path pidFile, Path logFile,
                               Path childLogDir) {

    /** Linux's sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    public SupervisorLayout {
        configFile = configFile.toAbsolutePath().normalize();
        includeDir = includeDir.toAbsolutePath().normalize();
        socket = socket.toAbsolutePath().normalize();
        pidFile = pidFile.toAbsolutePath().normalize();
        logFile = logFile.toAbsolutePath().normalize();
        childLogDir = childLogDir.toAbsolutePath().normalize();
        int socketBytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        if (socketBytes > MAX_SOCKET_PATH_BYTES) {
            throw new SupervisorException("supervisord socket path " + socket + " is " + socketBytes
                    + " bytes long; a UNIX socket path must fit in " + MAX_SOCKET_PATH_BYTES + " bytes");
        }
    }

    public static SupervisorLayout under(Path root) {
        Path r = root.toAbsolutePath().normalize();
        return new SupervisorLayout(r.resolve("etc/supervisord.conf"), r.resolve("etc/supervisord.conf.d"),
                r.resolve("var/run/supervisord.sock"), r.resolve("var/run/supervisord.pid"),
                r.resolve("var/log/supervisord/supervisord.log"), r.resolve("var/log"));
    }

    /**
     * Where supervisord writes the programs' logs of a partition: below the node's own var/log,
     * never in the partition. supervisord opens them as root, so a path the partition's user
     * controls could be turned (a symbolic link swapped in at the right moment) into a write to
     * any file of the system.
     */
    public Path partitionLogDir(String partitionId) {
        return childLogDir.resolve(partitionId);
    }

    /** The per-partition file supervisord includes. */
    public Path partitionFile(String partitionId) {
        return includeDir.resolve(partitionId + ".conf");
    }
}
