package org.slapgrid.node.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.slapgrid.files.AtomicFiles;
import org.zeroturnaround.exec.ProcessExecutor;
import org.slapgrid.node.io.Json;
import org.slapgrid.node.io.PartitionStateDirectory;

/**
 * Measures a partition's disk use with {@code du -s -x -P -B1}, at most every
 * {@link #INTERVAL} per partition, and keeps the last measure in the node's state
 * ({@code var/partitions/<id>/disk.json}) for {@code slapos node status}.
 *
 * <p>du runs as the node (root), not as the partition's user: a user could hide its files from
 * itself (a directory of mode 000) and so from a du of its own. This reads only metadata,
 * never follows a link ({@code -P}) and stays on the partition's file system ({@code -x}); a
 * partition racing it can at worst make it count wrongly, never make root act on a file.
 * Bounded by a timeout.
 */
public final class DiskMeter {

    public static final Duration INTERVAL = Duration.ofMinutes(5);
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = Json.numericTimes();

    private final Clock clock;

    public DiskMeter(Clock clock) {
        this.clock = clock;
    }

    /** The file where the last measure of a partition is kept. */
    public static Path recordOf(Path stateDirectory, String partitionId) {
        return PartitionStateDirectory.paths(stateDirectory, partitionId).diskRecord();
    }

    /** The last measure, or null when there is none. */
    public static DiskUse last(Path record) {
        try {
            return Files.isRegularFile(record) ? JSON.readValue(record.toFile(), DiskUse.class) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Measures now when the last measure is older than the interval (or {@code now}); else returns it. */
    public DiskUse measureIfDue(Path partitionDirectory, Path record, long quota, boolean now) throws IOException {
        DiskUse last = last(record);
        if (!now && last != null && last.quota() == quota
                && Duration.between(last.measuredAt(), clock.instant()).compareTo(INTERVAL) < 0) {
            return last;
        }
        DiskUse fresh = measure(partitionDirectory, quota);
        if (Files.isDirectory(record.getParent())) {
            AtomicFiles.write(record, JSON.writeValueAsString(fresh) + "\n", "rw-------");
        }
        return fresh;
    }

    DiskUse measure(Path dir, long quota) {
        try {
            var r = new ProcessExecutor().command("du", "-s", "-x", "-P", "-B1", dir.toString())
                    .readOutput(true).redirectError(java.io.OutputStream.nullOutputStream())
                    .timeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).execute();
            String out = r.outputUTF8().strip();
            // du exits 1 when a file vanished while it walked: the total is still right enough
            String first = out.isEmpty() ? "" : out.lines().reduce((a, b) -> b).orElse("").split("\\s+")[0];
            if (!first.matches("\\d+")) {
                return new DiskUse(0, quota, clock.instant(), "du printed nothing usable (exit " + r.getExitValue() + ")");
            }
            return new DiskUse(Long.parseLong(first), quota, clock.instant(), null);
        } catch (TimeoutException e) {
            return new DiskUse(0, quota, clock.instant(), "du took more than " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new DiskUse(0, quota, clock.instant(), "cannot run du: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DiskUse(0, quota, clock.instant(), "interrupted");
        }
    }
}
