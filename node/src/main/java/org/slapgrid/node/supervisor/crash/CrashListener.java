package org.slapgrid.node.supervisor.crash;

/**
 * Receives the crashes the {@link CrashWatcher} sees, already rate-limited; the node turns them
 * into bangs to the master. Called on one dedicated thread, in order, so a slow call (HTTP to
 * the master) delays later reports but never the detection and restart of crashes.
 * Exceptions are logged and ignored.
 */
public interface CrashListener {
    /** A program crashed (reported at most {@link CrashRateLimit#maxReports()} times per window). */
    void crashed(CrashReport report);

    /** The crashes beyond the limit during a window, once that window is over. */
    void crashesSuppressed(CrashSummary summary);

    /**
     * The watcher started a crashed program again: the partition's status (pid, start, restarts)
     * changed, so the node looks at it now rather than at its next periodic sweep.
     */
    default void restarted(String partitionId, String program) {
    }
}
