package org.slapgrid.node.compliance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigException;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.files.AtomicFiles;

/**
 * When the daemon runs {@code auto}: every {@code [slapos] compliance_interval} seconds of
 * slapos.cfg (default 86400, a day, as OpenSVC's daily compliance schedule; 0: never), counted
 * from the last run, which is kept in {@code var/compliance/last-auto} so a restarted daemon
 * does not run it again at once. A node that never ran it runs it at the daemon's start.
 *
 * @param every how often (zero: never)
 * @param stamp the file that keeps when it last ran
 */
public record ComplianceSchedule(Duration every, Path stamp) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofDays(1);
    public static final String OPTION = "compliance_interval";

    public static ComplianceSchedule of(NodeConfig config) {
        return of(config, interval(config));
    }

    public static ComplianceSchedule of(NodeConfig config, Duration every) {
        return new ComplianceSchedule(every, config.stateDirectory().resolve("compliance").resolve("last-auto"));
    }

    /** The option's value; a bad value is an error naming the file, section and option. */
    public static Duration interval(NodeConfig config) {
        Path file = config.file();
        String v = NodeConfigLoader.rawOption(file, OPTION);
        if (v == null) {
            return DEFAULT_INTERVAL;
        }
        try {
            long seconds = Long.parseLong(v.strip());
            if (seconds < 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new NodeConfigException(file + ": [slapos] " + OPTION + ": expected a number of seconds (0: never), got '"
                    + v + "'");
        }
    }

    public boolean enabled() {
        return !every.isZero();
    }

    /** How often the daemon looks whether a run is due. */
    public Duration tick() {
        return every.compareTo(Duration.ofMinutes(1)) < 0 ? every : Duration.ofMinutes(1);
    }

    public boolean due(Instant now) {
        if (!enabled()) {
            return false;
        }
        try {
            if (!Files.isRegularFile(stamp)) {
                return true;
            }
            Instant last = Instant.ofEpochMilli(Long.parseLong(Files.readString(stamp).strip()));
            return !now.isBefore(last.plus(every));
        } catch (IOException | NumberFormatException e) {
            return true; // an unreadable record: run, and write a good one
        }
    }

    public void ran(Instant at) throws IOException {
        Files.createDirectories(stamp.getParent());
        AtomicFiles.write(stamp, Long.toString(at.toEpochMilli()) + "\n", "rw-------");
    }
}
