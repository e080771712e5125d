package org.slapgrid.node.instance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slapgrid.node.format.Partition;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.PartitionInfo;

/**
 * {@code slapos node instance} without a daemon: one round over every partition that hosts an
 * instance, in parallel (bounded by the node's parallelism), each through the
 * {@link PartitionReconciler} and its report sent once through the {@link ReportSender}. The
 * daemon does not use rounds: it reconciles each partition on its own events.
 *
 * @param reconciler  what converges one partition
 * @param reports     what sends each partition's report, once
 * @param parallelism how many partitions converge at once
 */
public record InstanceConverger(PartitionReconciler reconciler, ReportSender reports, int parallelism) {

    /** Which partitions, and whether to ignore the skip rule. */
    public record Selection(boolean force, String onlyPartition) {
        public static Selection all() {
            return new Selection(false, null);
        }

        public boolean includes(String partition) {
            return onlyPartition == null || onlyPartition.equals(partition);
        }
    }

    /** Converges the partitions of {@code info}; returns one outcome per partition hosting an instance. */
    public List<PartitionOutcome> converge(NodeInfo info, List<Partition> formatted, Selection selection) {
        Map<String, Partition> byId = formatted.stream().collect(Collectors.toMap(Partition::id, Function.identity()));
        List<PartitionInfo> todo = info.partitions().stream()
                .filter(p -> p.instance() != null)
                .filter(p -> selection.includes(p.id()))
                .toList();
        // A release's instance profile and build stamp, read once per round, not once per partition.
        Map<Path, String> releases = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, todo.size())));
        try {
            List<Future<PartitionOutcome>> running = new ArrayList<>();
            for (PartitionInfo p : todo) {
                running.add(pool.submit(() -> {
                    Reconciled r = reconciler.reconcile(p, byId.get(p.id()), selection.force(), releases);
                    reports.send(p.id(), p.instance(), r);
                    return r.outcome();
                }));
            }
            List<PartitionOutcome> out = new ArrayList<>();
            for (Future<PartitionOutcome> f : running) {
                try {
                    out.add(f.get());
                } catch (Exception e) {
                    throw new IllegalStateException("partition worker failed: " + e, e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
