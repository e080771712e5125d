package org.slapgrid.node.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slapgrid.node.instance.ServiceHolds;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.node.supervisor.crash.CrashWatcher;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.node.supervisor.ProgramSpec;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.PartitionStatus;

/**
 * Sends each partition's status tree to the master (what {@code slapos node status} shows
 * here: services with state, pid, start and restarts; promises; last error), when it changed
 * and at most every {@code interval} per partition: a change within the interval is sent when
 * the interval has passed (the partition is looked at again then). A tree holds no clock that
 * moves by itself (a service's start time, not its uptime), so an idle node sends nothing.
 */
final class StatusReporter {

    private static final int OUTPUT_TAIL = 2000;

    /** Held as last applied, though no hold selects it now: released at the next apply. */
    private static final PartitionStatus.Hold UNSAID = new PartitionStatus.Hold(PartitionStatus.Hold.TAG, null);

    private record Sent(PartitionStatus status, long at) {
    }

    private final SlapClient master;
    private final String nodeId;
    private final Supervisor supervisor;
    private final Duration interval;
    private final Consumer<String> log;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    StatusReporter(SlapClient master, String nodeId, Supervisor supervisor, Duration interval, Consumer<String> log) {
        this.master = master;
        this.nodeId = nodeId;
        this.supervisor = supervisor;
        this.interval = interval;
        this.log = log;
    }

    /** supervisord's process table, shared by the partitions looked at within {@link #SNAPSHOT_AGE}. */
    private record Snapshot(List<ProcessInfo> infos, long at) {
    }

    /**
     * How old a process table may be when a partition's services did not change: supervisord
     * answers one call at a time, and a call per partition would make a sweep of 100 wait on it.
     */
    private static final long SNAPSHOT_AGE = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(500);
    private volatile Snapshot snapshot;

    /** A service crashed or was restarted: the shared process table is out of date. */
    void processesChanged() {
        snapshot = null;
    }

    private List<ProcessInfo> processes(boolean fresh) {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (fresh || s == null || now - s.at() > SNAPSHOT_AGE) {
            s = new Snapshot(supervisor.client().getAllProcessInfo(), now);
            snapshot = s;
        }
        return s.infos();
    }

    /**
     * The partition's tree now: its programs at supervisord, its promises as last run, its last
     * error. {@code servicesChanged}: its programs were just applied, so supervisord is asked afresh.
     * {@code holds}: why a held service is held, as the convergence that just ran held it.
     */
    PartitionStatus observe(String partition, List<PromiseResult> promises, String lastError, CrashWatcher watcher,
                            boolean servicesChanged, ServiceHolds holds) {
        List<PartitionStatus.Service> services = new ArrayList<>();
        try {
            Map<String, Supervisor.Managed> managed = supervisor.managedPrograms();
            for (ProcessInfo p : processes(servicesChanged)) {
                Supervisor.Managed m = managed.get(p.group());
                if (m == null || !m.spec().partitionId().equals(partition)) {
                    continue;
                }
                boolean running = p.state() == ProcessState.RUNNING;
                boolean runOnce = m.spec().kind() == ProgramSpec.Kind.RUN_ONCE;
                PartitionStatus.Hold hold = !m.spec().held() ? null
                        : java.util.Objects.requireNonNullElse(holds.hold(m.spec().tags()), UNSAID);
                services.add(new PartitionStatus.Service(m.spec().name(), p.state().name(), running ? p.pid() : null,
                        running ? p.start() : null, watcher == null ? 0 : watcher.restarts(m.spec().name()),
                        List.copyOf(m.spec().tags()), m.spec().held(), runOnce,
                        p.state().isEnded() ? p.exitStatus() : null, hold));
            }
        } catch (RuntimeException e) {
            // supervisord unreachable: the tree says no services rather than nothing at all
        }
        List<PartitionStatus.Promise> ps = promises.stream()
                .map(r -> new PartitionStatus.Promise(r.name(), r.kept(), tail(r.output()))).toList();
        return new PartitionStatus(services, ps, lastError == null || lastError.isEmpty() ? null : tail(lastError), null);
    }

    /**
     * Sends the tree if it changed; returns how long until it may be sent (zero when sent or
     * unchanged): the caller looks at the partition again then.
     */
    Duration offer(String partition, PartitionStatus status) {
        Sent last = sent.get(partition);
        if (last != null && last.status().equals(status)) {
            return Duration.ZERO;
        }
        long now = System.nanoTime();
        if (last != null && now - last.at() < interval.toNanos()) {
            return Duration.ofNanos(interval.toNanos() - (now - last.at()));
        }
        try {
            master.reportStatus(nodeId, partition, status);
            sent.put(partition, new Sent(status, now));
        } catch (RuntimeException e) {
            log.accept(partition + ": could not send its status to the master: " + e.getMessage());
        }
        return Duration.ZERO;
    }

    /** A partition freed: its tree is forgotten. */
    void forget(String partition) {
        sent.remove(partition);
    }

    private static String tail(String s) {
        if (s == null) {
            return null;
        }
        return s.length() <= OUTPUT_TAIL ? s : "..." + s.substring(s.length() - OUTPUT_TAIL);
    }
}
