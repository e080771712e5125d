package org.slapgrid.master.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The series of every instance whose node sends metrics, in this master's memory: per instance
 * at most {@link #MAX_METRICS} metrics, each a {@link SeriesRing} of fixed size, so the memory is
 * at most instances x 16 x 11.4 KiB, whatever the uptime; a destroyed instance's series go at the
 * next {@link #retain}. In memory, not in the store: 400 samples a second (1,000 members, 4
 * metrics, every 10 s) would be 400 row writes a second for history nobody needs after a restart
 * (a node sends its numbers again within one interval). Several masters on one PostgreSQL each
 * hold what their own nodes sent them (docs/clusters.md says so).
 */
public final class MetricStore {

    /** Most metrics one instance may have (cpu, memory and up to 14 of its own). */
    public static final int MAX_METRICS = 16;

    private final Map<String, Map<String, SeriesRing>> byInstance = new ConcurrentHashMap<>();
    private final AtomicLong samples = new AtomicLong();

    /** Adds a sample; false when the instance already has {@link #MAX_METRICS} other metrics. */
    boolean add(String instanceId, String metric, long at, double value) {
        Map<String, SeriesRing> metrics = byInstance.computeIfAbsent(instanceId, k -> new ConcurrentHashMap<>());
        SeriesRing ring = metrics.get(metric);
        if (ring == null) {
            synchronized (metrics) {
                ring = metrics.get(metric);
                if (ring == null) {
                    if (metrics.size() >= MAX_METRICS) {
                        return false;
                    }
                    ring = new SeriesRing();
                    metrics.put(metric, ring);
                }
            }
        }
        ring.add(at, value);
        samples.incrementAndGet();
        return true;
    }

    /** The metrics of one instance (empty when its node sent none). */
    Map<String, SeriesRing> of(String instanceId) {
        return byInstance.getOrDefault(instanceId, Map.of());
    }

    /** Forgets the series of every instance not in {@code live}. */
    public void retain(Set<String> live) {
        byInstance.keySet().retainAll(live);
    }

    /** How many series are held now (for status and the benchmark). */
    public long seriesCount() {
        return byInstance.values().stream().mapToLong(Map::size).sum();
    }

    /** Samples taken since start. */
    public long samplesTaken() {
        return samples.get();
    }
}
