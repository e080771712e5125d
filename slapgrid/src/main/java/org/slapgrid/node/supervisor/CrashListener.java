package org.slapgrid.node.supervisor;

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
}
