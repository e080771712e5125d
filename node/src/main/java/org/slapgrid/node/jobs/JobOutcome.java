package org.slapgrid.node.jobs;

import java.util.Map;

/** How a job ended: success, the exit code and output tail of what it ran, and a small result for the master. */
public record JobOutcome(boolean succeeded, Integer exitCode, String output, Map<String, Object> result) {

    public JobOutcome {
        result = result == null ? Map.of() : result;
    }

    public static JobOutcome failed(String why) {
        return new JobOutcome(false, null, why, Map.of());
    }
}
