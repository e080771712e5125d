package org.slapgrid.node.promise;

import java.time.Duration;
import java.time.Instant;

/** One promise's last run: kept (exit 0 in time) or broken, with what it printed. */
public record PromiseResult(String name, boolean kept, int exitCode, boolean timedOut, String output,
                            Instant at, Duration took) {

    /** "kept", "broken (exit 1)", "broken (timed out after 20 s)". */
    public String describe() {
        if (kept) {
            return "kept";
        }
        return timedOut ? "broken (timed out after " + took.toSeconds() + " s)" : "broken (exit " + exitCode + ")";
    }
}
