package org.slapgrid.node.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.exec.UserProcesses;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.limits.CgroupController;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.MetricBatch;

/**
 * The daemon's metrics step (docs/clusters.md "Metrics"), run by its timer every
 * {@link MetricSettings#interval()}: for every partition hosting an instance, its CPU use (CPUs,
 * from its user's processes in /proc: the difference since the last round) and memory (bytes,
 * from its cgroup where limits are enforced, else its user's resident memory), and the number
 * each {@code etc/metric/<name>} executable prints (its last line), run as the partition's user
 * in its cgroup with a timeout; then the samples go to the master in batches.
 *
 * <p>A round runs on a thread of its own so the daemon's timer never waits for a slow metric; a
 * round still running when the next is due makes that one skip. A batch the master cannot take
 * is dropped, not kept: the next round sends fresh numbers (so nothing grows while it is away).
 * In single-user mode (not root) the processes of one partition cannot be told from the node's,
 * so CPU is not sampled and memory only from a cgroup.
 */
public final class MetricsStep implements AutoCloseable {

    /** What an executable in etc/metric may be called (the master's rule for a metric's name). */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    /** Executables taken per partition (with cpu and memory, the master's 16 metrics per instance). */
    static final int MAX_EXECUTABLES = 14;
    static final int BATCH = MetricBatch.MAX_SAMPLES / 2;

    private final SlapClient master;
    private final String nodeId;
    private final PartitionLimiter limits;
    private final PartitionExecutor executor = new PartitionExecutor();
    private final MetricSettings settings;
    private final boolean multiUser;
    private final Consumer<String> log;
    private final ExecutorService round = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "daemon-metrics");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Long> uids = new ConcurrentHashMap<>();
    /** Per partition: its CPU ticks and when they were read, for the next difference. */
    private final Map<String, long[]> lastCpu = new ConcurrentHashMap<>();
    /** Failures already logged (partition/name), so a broken metric is said once, not every round. */
    private final Set<String> complained = ConcurrentHashMap.newKeySet();

    public MetricsStep(SlapClient master, String nodeId, PartitionLimiter limits, MetricSettings settings, boolean multiUser,
                       Consumer<String> log) {
        this.master = master;
        this.nodeId = nodeId;
        this.limits = limits;
        this.settings = settings;
        this.multiUser = multiUser;
        this.log = log;
    }

    public MetricSettings settings() {
        return settings;
    }

    /** Starts a round over {@code hosting} unless one is still running; returns at once. */
    public void offer(List<Partition> hosting) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            round.submit(() -> {
                try {
                    send(sample(hosting));
                } catch (RuntimeException e) {
                    log.accept("metrics: round failed: " + e);
                } finally {
                    running.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.set(false); // closed
        }
    }

    /** One round's samples (also for tests: no thread, nothing sent). */
    List<MetricBatch.Sample> sample(List<Partition> hosting) {
        long now = System.currentTimeMillis();
        Map<Integer, ProcessUsage.Use> byUid = multiUser ? ProcessUsage.byUid() : Map.of();
        List<MetricBatch.Sample> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Partition p : hosting) {
            seen.add(p.id());
            ProcessUsage.Use use = null;
            if (multiUser) {
                Long uid = uid(p.user());
                use = uid == null ? null : byUid.getOrDefault(uid.intValue(), new ProcessUsage.Use(0, 0));
            }
            Optional<CgroupController.Usage> cgroup = limits.cgroups().usage(p.id());
            if (cgroup.isPresent()) {
                out.add(new MetricBatch.Sample(p.id(), "memory", now, cgroup.get().memoryBytes()));
            } else if (use != null) {
                out.add(new MetricBatch.Sample(p.id(), "memory", now, use.residentBytes()));
            }
            if (use != null) {
                long[] before = lastCpu.put(p.id(), new long[] {use.cpuTicks(), now});
                if (before != null && now > before[1]) {
                    double cpus = Math.max(0, use.cpuTicks() - before[0]) / (double) ProcessUsage.TICKS_PER_SECOND
                            / ((now - before[1]) / 1000.0);
                    out.add(new MetricBatch.Sample(p.id(), "cpu", now, cpus));
                }
            }
            out.addAll(executables(p, now));
        }
        lastCpu.keySet().retainAll(seen);
        return out;
    }

    private List<MetricBatch.Sample> executables(Partition p, long now) {
        List<Path> found;
        try {
            found = PartitionExecutor.executablesIn(p.directory().resolve("etc/metric"));
        } catch (IOException e) {
            return List.of();
        }
        List<MetricBatch.Sample> out = new ArrayList<>();
        RunAs who = limits.runAs(p, multiUser);
        for (Path exe : found.stream().limit(MAX_EXECUTABLES).toList()) {
            String name = exe.getFileName().toString();
            String key = p.id() + "/" + name;
            if (!NAME.matcher(name).matches()) {
                complainOnce(key, "etc/metric/" + name + ": not a metric name (a-z, 0-9, '_', '.', '-'; at most 32), ignored");
                continue;
            }
            try {
                ExecResult r = executor.run(List.of(exe.toString()), who, Map.of(), settings.timeout());
                Double v = r.succeeded() ? number(r.output()) : null;
                if (v == null) {
                    complainOnce(key, "etc/metric/" + name + ": " + (r.succeeded() ? "printed no number" : r.summary())
                            + (r.output().isBlank() ? "" : ": " + lastLine(r.output())));
                    continue;
                }
                if (complained.remove(key)) {
                    log.accept(p.id() + ": etc/metric/" + name + " works again");
                }
                out.add(new MetricBatch.Sample(p.id(), name, now, v));
            } catch (IOException e) {
                complainOnce(key, "etc/metric/" + name + ": cannot run: " + e.getMessage());
            }
        }
        return out;
    }

    /** The number on the last non-empty line of the output; null when it is not one. */
    static Double number(String output) {
        String line = lastLine(output);
        try {
            double v = Double.parseDouble(line);
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        String l = lines[lines.length - 1].strip();
        return l.length() > 200 ? l.substring(0, 200) + "..." : l;
    }

    private void complainOnce(String key, String message) {
        if (complained.add(key)) {
            log.accept(key.substring(0, key.indexOf('/')) + ": " + message);
        }
    }

    private Long uid(String user) {
        Long known = uids.get(user);
        if (known == null) {
            try {
                known = UserProcesses.uidOf(user);
                uids.put(user, known);
            } catch (IOException e) {
                return null;
            }
        }
        return known;
    }

    private void send(List<MetricBatch.Sample> samples) {
        for (int i = 0; i < samples.size(); i += BATCH) {
            try {
                master.sendMetrics(nodeId, new MetricBatch(samples.subList(i, Math.min(samples.size(), i + BATCH))));
            } catch (RuntimeException e) {
                complainOnce("metrics/send", "cannot send to the master (" + e.getMessage() + "); dropped, the next round sends afresh");
                return;
            }
        }
        complained.remove("metrics/send");
    }

    @Override
    public void close() {
        round.shutdownNow();
        try {
            round.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS); // a round in progress does not outlive its daemon
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
