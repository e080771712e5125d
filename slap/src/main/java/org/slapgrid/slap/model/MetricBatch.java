package org.slapgrid.slap.model;

import java.util.List;

/**
 * {@code POST /api/v1/nodes/{node}/metrics}: what a node sampled of its partitions since its
 * last batch (docs/clusters.md "Metrics"). The master takes at most {@link #MAX_SAMPLES} samples
 * per batch (a node sends more as several batches) and only for the node's own partitions.
 */
public record MetricBatch(List<Sample> samples) {

    /** The most samples one batch may carry. */
    public static final int MAX_SAMPLES = 2000;

    public MetricBatch {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /**
     * One number of one partition: {@code metric} is {@code cpu} (CPUs used since the last
     * sample), {@code memory} (bytes) or the name of an {@code etc/metric/<name>} executable;
     * {@code at} is when it was sampled, in epoch milliseconds.
     */
    public record Sample(String partition, String metric, long at, double value) {
    }
}
