package org.slapgrid.node.supervisor.crash;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Applies a {@link CrashRateLimit} per program, with fixed windows opened by a program's first crash. */
final class CrashRateLimiter {
    private final CrashRateLimit limit;
    private final Map<String, Window> windows = new HashMap<>();

    private static final class Window {
        final Instant start;
        int reported;
        int suppressed;
        CrashReport lastSuppressed;

        Window(Instant start) {
            this.start = start;
        }
    }

    CrashRateLimiter(CrashRateLimit limit) {
        this.limit = limit;
    }

    /**
     * Accounts for a crash: returns the summaries of windows that ended (to send first), and
     * whether this crash itself is reported, via {@code reported[0]}.
     */
    List<CrashSummary> onCrash(CrashReport report, boolean[] reported) {
        List<CrashSummary> summaries = expired(report.at());
        Window w = windows.computeIfAbsent(report.program(), k -> new Window(report.at()));
        if (w.reported < limit.maxReports()) {
            w.reported++;
            reported[0] = true;
        } else {
            w.suppressed++;
            w.lastSuppressed = report;
            reported[0] = false;
        }
        return summaries;
    }

    /** Closes the windows that are over; returns a summary for each that suppressed crashes. */
    List<CrashSummary> expired(Instant now) {
        List<CrashSummary> summaries = new ArrayList<>();
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window> e = it.next();
            Window w = e.getValue();
            Instant end = w.start.plus(limit.window());
            if (!now.isBefore(end)) {
                if (w.suppressed > 0) {
                    summaries.add(new CrashSummary(e.getKey(), w.lastSuppressed.partitionId(), w.suppressed, w.start,
                            end, w.lastSuppressed));
                }
                it.remove();
            }
        }
        return summaries;
    }
}
