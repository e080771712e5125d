package org.slapgrid.node.exec;

import java.time.Duration;

/**
 * How an executable ended: its exit code (-1 when it was killed on timeout), the tail of what
 * it printed (stdout and stderr together), whether it ran out of time, and how long it took.
 */
public record ExecResult(int exitCode, String output, boolean timedOut, Duration took) {

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** One line for logs and reports: "exit 3", "timed out after 20 s". */
    public String summary() {
        return timedOut ? "timed out after " + took.toSeconds() + " s" : "exit " + exitCode;
    }
}
