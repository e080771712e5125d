package org.slapgrid.node.supervisor.crash;

import java.time.Duration;

/**
 * How the {@link CrashWatcher} works.
 *
 * @param pollInterval       time between two looks at supervisord (default 250 ms)
 * @param restartPolicy      backoff of restarts of crashed watched services
 * @param rateLimit          how many crash reports per program per window
 * @param logTailBytes       how much of the program's log a report carries
 * @param reviveSupervisord  when supervisord stops answering, start it again (default true)
 */
public record WatchSettings(Duration pollInterval, RestartPolicy restartPolicy, CrashRateLimit rateLimit,
                            int logTailBytes, boolean reviveSupervisord) {

    public WatchSettings {
        if (pollInterval.isNegative() || pollInterval.isZero() || logTailBytes < 0) {
            throw new IllegalArgumentException("need a positive poll interval and logTailBytes >= 0");
        }
    }

    public static WatchSettings defaults() {
        return new WatchSettings(Duration.ofMillis(250), RestartPolicy.defaults(), CrashRateLimit.defaults(), 2000,
                true);
    }

    public WatchSettings withRestartPolicy(RestartPolicy policy) {
        return new WatchSettings(pollInterval, policy, rateLimit, logTailBytes, reviveSupervisord);
    }

    public WatchSettings withRateLimit(CrashRateLimit limit) {
        return new WatchSettings(pollInterval, restartPolicy, limit, logTailBytes, reviveSupervisord);
    }

    public WatchSettings withPollInterval(Duration interval) {
        return new WatchSettings(interval, restartPolicy, rateLimit, logTailBytes, reviveSupervisord);
    }
}
