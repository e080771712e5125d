package org.slapgrid.node.supervisor.crash;

import java.time.Duration;
import java.time.Instant;
import org.slapgrid.node.supervisor.ProgramSpec;

/**
 * One crash of a program: a watched service that exited or failed to start, or a run-once
 * script that failed.
 *
 * @param program      the supervisord program name, e.g. {@code slappart0_mariadb}
 * @param partitionId  the partition it belongs to
 * @param scriptName   the executable's file name in etc/service or etc/run
 * @param kind         watched service or run-once script
 * @param exitStatus   the exit status; -1 when killed by a signal; null when it could not be started
 * @param reason       supervisord's account ("Bad exit code 3", "Exited too quickly", spawn error)
 * @param logTail      the end of the program's log (stdout and stderr)
 * @param ranFor       how long it had been running (0 when it failed to start)
 * @param restartIn    when the node restarts it (null: it will not be restarted)
 * @param at           when the node saw the crash
 */
public record CrashReport(String program, String partitionId, String scriptName, ProgramSpec.Kind kind,
                          Integer exitStatus, String reason, String logTail, Duration ranFor, Duration restartIn,
                          Instant at) {

    /** A one-line account, e.g. for a bang message. */
    public String summary() {
        String status = exitStatus == null ? "could not start" : exitStatus == -1 ? "killed by a signal"
                : "exit status " + exitStatus;
        return program + " (" + (kind == ProgramSpec.Kind.WATCHED ? "service " : "run script ") + scriptName
                + ") " + status + (reason.isEmpty() ? "" : ": " + reason)
                + (restartIn == null ? "" : "; restarting in " + restartIn.toMillis() + " ms");
    }
}
