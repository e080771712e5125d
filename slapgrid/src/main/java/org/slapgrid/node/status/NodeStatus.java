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
import org.slapgrid.node.instance.PartitionStateDirectory;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.node.promise.PromiseState;
import org.slapgrid.node.supervisor.ProcessInfo;
import org.slapgrid.node.supervisor.ProgramSpec;
import org.slapgrid.node.supervisor.Supervisor;

/**
 * What {@code slapos node status} shows, read from the node's own state and its supervisord
 * (never from the master): per partition, its instance, each service with its process state,
 * pid and uptime, each promise with its last result; and an aggregate, as OpenSVC's status tree
 * does: a partition is "up" when every service runs and every promise is kept, "down" when none
 * runs, "warn" in between, "free" when it hosts nothing.
 */
public final class NodeStatus {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A program of a partition: a watched service ({@code etc/service}) or a run-once script
     * ({@code etc/run}), which is healthy once it has exited with status 0.
     */
    public record Service(String name, boolean runOnce, String state, int pid, Duration uptime, int exitStatus) {

        public boolean healthy() {
            return runOnce ? state.equals("RUNNING") || state.equals("STARTING") || (state.equals("EXITED") && exitStatus == 0)
                    : state.equals("RUNNING");
        }
    }

    public record PartitionStatus(String id, String ipv4, String user, String instance, String requestedState,
                                  Instant convergedAt, List<Service> services, List<PromiseResult> promises,
                                  String overall) {
    }

    public record Status(String nodeId, boolean supervisorRunning, List<PartitionStatus> partitions, String overall) {
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
        List<PartitionStatus> out = new ArrayList<>();
        for (Partition p : NodeFormatter.formatted(config)) {
            PartitionStateDirectory state = new PartitionStateDirectory(config.stateDirectory(), p.id(), null);
            String instance = null;
            String requested = null;
            if (Files.isRegularFile(state.instanceFile())) {
                Map<String, Object> doc = JSON.readValue(state.instanceFile().toFile(), new TypeReference<Map<String, Object>>() { });
                instance = String.valueOf(doc.getOrDefault("instance-title", ""));
                requested = String.valueOf(doc.getOrDefault("requested-state", ""));
            }
            ConvergenceRecord record = ConvergenceRecord.load(state.convergedFile());
            List<Service> services = new ArrayList<>();
            for (ProcessInfo info : processes) {
                if (info.name().startsWith(p.id() + "_")) {
                    Duration up = info.state().isRunningState() && info.start() > 0
                            ? Duration.ofSeconds(Math.max(0, Instant.now().getEpochSecond() - info.start())) : Duration.ZERO;
                    var spec = managed.get(info.name());
                    boolean runOnce = spec != null && spec.spec().kind() == ProgramSpec.Kind.RUN_ONCE;
                    String name = spec != null ? spec.spec().scriptName() : info.name().substring(p.id().length() + 1);
                    services.add(new Service(name, runOnce, info.state().name(), info.pid(), up, info.exitStatus()));
                }
            }
            List<PromiseResult> promises = new PromiseState(state.promisesFile()).load();
            out.add(new PartitionStatus(p.id(), p.ipv4(), p.user(), instance, requested,
                    record == null ? null : record.convergedAt(), services, promises, overall(instance, requested, services, promises)));
        }
        String overall = out.stream().map(PartitionStatus::overall).anyMatch(s -> s.equals("warn") || s.equals("down")) ? "warn" : "up";
        return new Status(config.nodeId(), running, out, overall);
    }

    private static String overall(String instance, String requested, List<Service> services, List<PromiseResult> promises) {
        if (instance == null) {
            return "free";
        }
        if ("stopped".equals(requested)) {
            return "stopped";
        }
        List<Service> watched = services.stream().filter(s -> !s.runOnce()).toList();
        long runningCount = watched.stream().filter(Service::healthy).count();
        boolean promisesKept = promises.stream().allMatch(PromiseResult::kept);
        if (!watched.isEmpty() && runningCount == 0) {
            return "down";
        }
        return services.stream().allMatch(Service::healthy) && promisesKept ? "up" : "warn";
    }
}
