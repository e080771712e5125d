package org.slapgrid.node.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slapgrid.node.config.NodeConfig;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.node.io.Json;
import org.slapgrid.node.io.PartitionStateDirectory;

/**
 * The node's one owner of per-partition limits, as the converger uses them: before anything
 * of a partition runs, its cgroup is made to match the node's limits ({@link #prepare}); every
 * command of the partition starts through {@link #enterCommand}; the disk use is checked
 * against the quota like a promise ({@link #diskCheck}); a destroyed partition's leftovers are
 * killed ({@link #killLeftovers}) and its cgroup removed ({@link #release}).
 */
public final class PartitionLimiter {

    /** The name of the node's own disk-quota check among a partition's promise results (no file can be named so). */
    public static final String DISK_CHECK = "node/disk-quota";
    private static final ObjectMapper JSON = Json.plain();

    private final CgroupController cgroups;
    private final LimitsConfig config;
    private final Path stateDirectory;
    private final DiskMeter disk;
    private final Clock clock;

    public PartitionLimiter(CgroupController cgroups, LimitsConfig config, Path stateDirectory, Clock clock) {
        this.cgroups = cgroups;
        this.config = config;
        this.stateDirectory = stateDirectory;
        this.disk = new DiskMeter(clock);
        this.clock = clock;
    }

    /** The machine's cgroups, as the node's configuration asks. */
    public static PartitionLimiter open(NodeConfig config) {
        return new PartitionLimiter(cgroupsOf(config), config.limits(), config.stateDirectory(), Clock.systemUTC());
    }

    public static CgroupController cgroupsOf(NodeConfig config) {
        return CgroupController.open(config.nodeId(), config.limits().cgroupParent(),
                config.stateDirectory().resolve("limits"));
    }

    public CgroupController cgroups() {
        return cgroups;
    }

    public LimitsConfig config() {
        return config;
    }

    /**
     * The limits a partition gets: its own when it was resized (kept with the partition's state,
     * so they go with its instance), else the node's defaults.
     */
    public PartitionLimits limitsOf(String partitionId) {
        Path own = ownLimitsFile(partitionId);
        if (Files.isRegularFile(own)) {
            try {
                return JSON.readValue(own.toFile(), PartitionLimits.class);
            } catch (IOException | RuntimeException e) {
                // unreadable: the defaults hold
            }
        }
        return config.partition();
    }

    /**
     * Gives one partition its own limits, at once and for the next rounds (issue 14's
     * {@code cluster resize}). The partition's state directory must exist (it hosts an instance).
     */
    public void resize(String partitionId, PartitionLimits limits) throws IOException {
        cgroups.apply(partitionId, limits);
        AtomicFiles.write(ownLimitsFile(partitionId), JSON.writeValueAsString(limits) + "\n", "rw-------");
    }

    /** Takes back a partition's own limits: the node's defaults hold again, at once. */
    public void resetToDefaults(String partitionId) throws IOException {
        Files.deleteIfExists(ownLimitsFile(partitionId));
        cgroups.apply(partitionId, config.partition());
    }

    private Path ownLimitsFile(String partitionId) {
        return PartitionStateDirectory.paths(stateDirectory, partitionId).limitsFile();
    }

    /** Creates or updates the partition's cgroup; a no-op where cgroups are not available. */
    public void prepare(String partitionId) throws IOException {
        cgroups.apply(partitionId, limitsOf(partitionId));
    }

    /** The prefix that starts a command inside the partition's cgroup (empty: not enforced here). */
    public List<String> enterCommand(String partitionId) {
        return cgroups.enterCommand(partitionId);
    }

    /**
     * Who a partition's commands run as: its own user when the node runs one per partition (else
     * the node's), at home in the partition, inside its cgroup.
     */
    public RunAs runAs(Partition partition, boolean multiUser) {
        RunAs user = multiUser ? new RunAs(partition.user(), partition.directory()) : RunAs.currentUser(partition.directory());
        return user.entering(enterCommand(partition.id()));
    }

    /** Kills every process left in the partition's cgroup, keeping the cgroup (the wipe runs in it). */
    public void killLeftovers(String partitionId) throws IOException {
        cgroups.release(partitionId);
        prepare(partitionId);
    }

    /** Kills what is left and removes the partition's cgroup (on destruction). */
    public void release(String partitionId) throws IOException {
        cgroups.release(partitionId);
    }

    /**
     * Removes every partition's cgroup and the node's parent, unless a partition still runs
     * processes: then nothing is removed and those partitions are returned (stop them first).
     */
    public List<String> removeAllUnlessRunning(List<String> partitionIds) throws IOException {
        List<String> running = partitionIds.stream()
                .filter(id -> cgroups.usage(id).map(u -> u.processes() > 0).orElse(false)).toList();
        if (running.isEmpty()) {
            cgroups.releaseAll();
        }
        return running;
    }

    /**
     * The disk-quota check of a partition, as a promise result: kept under the quota (or with
     * none), broken above it with a message that names the quota. Measured at most every
     * {@link DiskMeter#INTERVAL}, or now when {@code now}.
     */
    public PromiseResult diskCheck(Partition partition, boolean now) throws IOException {
        Instant start = clock.instant();
        DiskUse use = disk.measureIfDue(partition.directory(), DiskMeter.recordOf(stateDirectory, partition.id()),
                config.diskQuota(), now);
        boolean exceeded = use.exceeded();
        Duration took = Duration.between(start, clock.instant());
        return new PromiseResult(DISK_CHECK, !exceeded, exceeded ? 1 : 0, false,
                exceeded ? use.violation(partition.id()) : "", use.measuredAt(), took.isNegative() ? Duration.ZERO : took);
    }

    /** The last disk measure of a partition (null: never measured). */
    public static DiskUse lastDiskUse(Path stateDirectory, String partitionId) {
        return DiskMeter.last(DiskMeter.recordOf(stateDirectory, partitionId));
    }
}
