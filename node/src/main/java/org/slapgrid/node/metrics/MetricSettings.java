package org.slapgrid.node.metrics;

import java.time.Duration;

/**
 * How a node samples its partitions (docs/clusters.md "Metrics"): every {@code interval}, each
 * {@code etc/metric/<name>} executable with at most {@code timeout}. Set with
 * {@code slapos node daemon --metric-interval SECONDS --metric-timeout SECONDS}; an interval of
 * zero turns sampling off.
 */
public record MetricSettings(Duration interval, Duration timeout) {

    public static final MetricSettings DEFAULTS = new MetricSettings(Duration.ofSeconds(60), Duration.ofSeconds(10));
    public static final MetricSettings OFF = new MetricSettings(Duration.ZERO, Duration.ofSeconds(10));

    public MetricSettings {
        if (interval.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("metric interval must be >= 0 and timeout > 0 (got " + interval + ", " + timeout + ")");
        }
    }

    public boolean enabled() {
        return !interval.isZero();
    }
}
