package org.slapgrid.node.status;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.instance.ConvergenceRecord;
import org.slapgrid.node.instance.LocalTagRules;
import org.slapgrid.node.instance.ServiceHolds;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.node.limits.AddressGuard;
import org.slapgrid.node.limits.CgroupController;
import org.slapgrid.node.limits.DiskUse;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.node.limits.PartitionLimits;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.node.promise.PromiseState;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.ProgramSpec;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.io.Json;
import org.slapgrid.node.io.PartitionStateDirectory;

/**
 * What {@code slapos node status} shows, read from the node's own state and its supervisord
 * (never from the master): per partition, its instance, each service with its process state,
 * pid and uptime, each promise with its last result; and an aggregate, as OpenSVC's status tree
 * does: a partition is "up" when every service runs and every promise is kept, "down" when none
 * runs, "warn" in between, "free" when it hosts nothing.
 */
public final class NodeStatus {

    private static final ObjectMapper JSON = Json.plain();

    /**
     * A program of a partition: a watched service ({@code etc/service}) or a run-once script
     * ({@code etc/run}), which is healthy once it has exited with status 0. {@code heldBy} says
     * why one is stopped on purpose ({@link ServiceHolds#reason}), null when it is not.
     */
    public record Service(String name, boolean runOnce, String state, int pid, Duration uptime, int exitStatus,
                          java.util.Set<String> tags, boolean stoppedOnPurpose, String heldBy) {

        /** Healthy: running (or run once with success). A service stopped on purpose is neither healthy nor down. */
        public boolean healthy() {
            return runOnce ? state.equals("RUNNING") || state.equals("STARTING") || (state.equals("EXITED") && exitStatus == 0)
                    : state.equals("RUNNING");
        }
    }

    /**
     * One partition. {@code limits} and {@code usage} are read from its cgroup (null where
     * limits are not enforced or it has none yet); {@code disk} is the last measure of its disk
     * use against the quota (null: not measured yet).
     */
    public record PartitionStatus(String id, String ipv4, String user, String instance, String requestedState,
                                  Instant convergedAt, List<Service> services, List<PromiseResult> promises,
                                  PartitionLimits limits, CgroupController.Usage usage, DiskUse disk,
                                  String overall) {
    }

    /**
     * @param limits    whether per-partition limits are enforced here (cgroups), or why not
     * @param addresses whether partition addresses are enforced here (nftables), or why not
     */
    public record Status(String nodeId, boolean supervisorRunning, String limits, String addresses,
                         List<PartitionStatus> partitions, String overall) {
    }

    private NodeStatus() {
    }

    public static Status collect(NodeConfig config, Supervisor supervisor) throws IOException {
        List<ProcessInfo> processes = List.of();
        boolean running = supervisor.client().isRunning();
        if (running) {
            processes = supervisor.client().getAllProcessInfo();
        }
        var managed = supervisor.managedPrograms();
        CgroupController cgroups = PartitionLimiter.cgroupsOf(config);
        List<PartitionStatus> out = new ArrayList<>();
        for (Partition p : NodeFormatter.formatted(config)) {
            PartitionStateDirectory state = new PartitionStateDirectory(config.stateDirectory(), p.id(), null);
            String instance = null;
            String requested = null;
            boolean standby = false;
            if (Files.isRegularFile(state.instanceFile())) {
                Map<String, Object> doc = JSON.readValue(state.instanceFile().toFile(), new TypeReference<Map<String, Object>>() { });
                instance = String.valueOf(doc.getOrDefault("instance-title", ""));
                requested = String.valueOf(doc.getOrDefault("requested-state", ""));
                standby = standby(doc.get("cluster"));
            }
            // this node's own stops by tag hold at once, before the daemon's next look applies them
            List<org.slapgrid.slap.tags.TagRule> local = LocalTagRules.load(config.stateDirectory(), p.id());
            ConvergenceRecord record = ConvergenceRecord.load(state.convergedFile());
            List<Service> services = new ArrayList<>();
            for (ProcessInfo info : processes) {
                if (info.name().startsWith(p.id() + "_")) {
                    Duration up = info.state().isRunningState() && info.start() > 0
                            ? Duration.ofSeconds(Math.max(0, Instant.now().getEpochSecond() - info.start())) : Duration.ZERO;
                    var spec = managed.get(info.name());
                    boolean runOnce = spec != null && spec.spec().kind() == ProgramSpec.Kind.RUN_ONCE;
                    String name = spec != null ? spec.spec().scriptName() : info.name().substring(p.id().length() + 1);
                    java.util.Set<String> tags = spec == null ? java.util.Set.of() : spec.spec().tags();
                    // a held program that runs was started by hand (`slapos node start --tags`, before the
                    // next convergence applies it): it is running, not stopped on purpose
                    String heldBy = info.state().isRunningState() ? null
                            : org.slapgrid.slap.tags.TagRules.stopped(local, tags) ? "by this node"
                            : spec == null || !spec.spec().held() ? null
                            : standby && !tags.contains(ServiceHolds.STANDBY_TAG) ? "standby" : "by tag";
                    services.add(new Service(name, runOnce, info.state().name(), info.pid(), up, info.exitStatus(), tags,
                            heldBy != null, heldBy));
                }
            }
            // the node's own disk check is shown as the disk line, not as a promise
            List<PromiseResult> promises = new PromiseState(state.promisesFile()).load().stream()
                    .filter(r -> !r.name().equals(PartitionLimiter.DISK_CHECK)).toList();
            DiskUse disk = PartitionLimiter.lastDiskUse(config.stateDirectory(), p.id());
            String overall = overall(instance, requested, services, promises);
            if (disk != null && disk.exceeded() && overall.equals("up")) {
                overall = "warn";
            }
            out.add(new PartitionStatus(p.id(), p.ipv4(), p.user(), instance, requested,
                    record == null ? null : record.convergedAt(), services, promises,
                    cgroups.limits(p.id()).orElse(null), cgroups.usage(p.id()).orElse(null), disk, overall));
        }
        String overall = out.stream().map(PartitionStatus::overall).anyMatch(s -> s.equals("warn") || s.equals("down")) ? "warn" : "up";
        String addresses = config.multiUser() ? new AddressGuard(config.nodeId()).describe()
                : "not enforced: single-user mode (every partition is the same user)";
        return new Status(config.nodeId(), running, cgroups.availability().describe(), addresses, out, overall);
    }

    /** Whether instance.json's {@code cluster} says a failover standby (a member, not the primary). */
    private static boolean standby(Object cluster) {
        if (!(cluster instanceof Map<?, ?> c)) {
            return false;
        }
        Object primary = c.get("primary");
        return ClusterTopology.FAILOVER.json().equals(String.valueOf(c.get("topology"))) && primary != null
                && !primary.equals(c.get("role") + "." + c.get("index"));
    }

    private static String overall(String instance, String requested, List<Service> services, List<PromiseResult> promises) {
        if (instance == null) {
            return "free";
        }
        if ("stopped".equals(requested)) {
            return "stopped";
        }
        // a service stopped on purpose (by tag) is what was asked for: it counts neither way
        services = services.stream().filter(s -> !s.stoppedOnPurpose()).toList();
        List<Service> watched = services.stream().filter(s -> !s.runOnce()).toList();
        long runningCount = watched.stream().filter(Service::healthy).count();
        boolean promisesKept = promises.stream().allMatch(PromiseResult::kept);
        if (!watched.isEmpty() && runningCount == 0) {
            return "down";
        }
        return services.stream().allMatch(Service::healthy) && promisesKept ? "up" : "warn";
    }
}
