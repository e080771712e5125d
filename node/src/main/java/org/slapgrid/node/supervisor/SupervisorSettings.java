package org.slapgrid.node.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How the node runs its supervisord.
 *
 * @param layout          where its files live
 * @param identifier      supervisord's {@code identifier} (the node id)
 * @param supervisord     the supervisord executable (a name looked up in PATH, or a path)
 * @param nodeUser        the Unix user the node runs as
 * @param nodeIsRoot      true when the node runs as root: only then are programs given {@code user=}
 * @param stopTimeout     how long a program may take to stop after SIGTERM before SIGKILL
 * @param logMaxBytes     rotation size of each program's log
 * @param logBackups      rotated logs kept per program
 * @param callTimeout     deadline of one XML-RPC call (must exceed stopTimeout: stops wait)
 * @param startTimeout    how long supervisord may take to answer after being launched
 */
public record SupervisorSettings(SupervisorLayout layout, String identifier, String supervisord, String nodeUser,
                                 boolean nodeIsRoot, Duration stopTimeout, String logMaxBytes, int logBackups,
                                 Duration callTimeout, Duration startTimeout) {

    public SupervisorSettings {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(supervisord, "supervisord");
        Objects.requireNonNull(nodeUser, "nodeUser");
        if (stopTimeout.isNegative() || stopTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("stopTimeout must be at least 1 s");
        }
        if (callTimeout.compareTo(stopTimeout.plusSeconds(5)) < 0) {
            throw new IllegalArgumentException("callTimeout must exceed stopTimeout by 5 s or more");
        }
    }

    /** Defaults: 60 s stop timeout, 5MB x 1 logs, node user and root-ness of this JVM. */
    public static SupervisorSettings defaults(SupervisorLayout layout, String identifier) {
        String user = System.getProperty("user.name");
        return new SupervisorSettings(layout, identifier, "supervisord", user, "root".equals(user),
                Duration.ofSeconds(60), "5MB", 1, Duration.ofSeconds(90), Duration.ofSeconds(15));
    }

    public SupervisorSettings withStopTimeout(Duration timeout) {
        return new SupervisorSettings(layout, identifier, supervisord, nodeUser, nodeIsRoot, timeout,
                logMaxBytes, logBackups, timeout.plusSeconds(30), startTimeout);
    }

    public SupervisorSettings withSupervisord(String executable) {
        return new SupervisorSettings(layout, identifier, executable, nodeUser, nodeIsRoot, stopTimeout,
                logMaxBytes, logBackups, callTimeout, startTimeout);
    }

    public SupervisorSettings withNodeUser(String user, boolean isRoot) {
        return new SupervisorSettings(layout, identifier, supervisord, user, isRoot, stopTimeout,
                logMaxBytes, logBackups, callTimeout, startTimeout);
    }
}
