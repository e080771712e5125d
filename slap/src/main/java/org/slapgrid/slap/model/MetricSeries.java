package org.slapgrid.slap.model;

import java.util.List;

/**
 * {@code GET /api/v1/clusters/{name}/metrics?since=} (and {@code /instances/{name}/metrics}):
 * the series the master keeps per member and metric since {@code since} (epoch ms), at the
 * finest resolution that still covers it ({@code resolutionSeconds}: 10 s for the last hour,
 * 5 min for the last day, 1 h for the last week).
 */
public record MetricSeries(String cluster, long since, int resolutionSeconds, List<Series> series) {

    public MetricSeries {
        series = series == null ? List.of() : List.copyOf(series);
    }

    /**
     * One member's (or instance's) metric: its last sample and the points since {@code since}.
     * {@code member} and {@code role} are null for an instance outside a cluster.
     */
    public record Series(String member, String role, String instance, String metric, Long lastAt, Double last,
                         List<Point> points) {
        public Series {
            points = points == null ? List.of() : List.copyOf(points);
        }
    }

    /** One bucket: its start (epoch ms), the average and the maximum of its {@code count} samples. */
    public record Point(long at, double avg, double max, int count) {
    }
}
