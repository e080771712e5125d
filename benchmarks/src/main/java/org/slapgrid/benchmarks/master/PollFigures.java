package org.slapgrid.benchmarks.master;

import java.util.Arrays;
import java.util.List;

/**
 * What one polling thread measured: each poll's latency (nanoseconds, in a growing array: no
 * boxing while the load runs) and the bytes of the answers; the threads' figures are merged
 * once the run is over.
 */
final class PollFigures {
    private long[] latencies = new long[1 << 16];
    private int count;
    private long bytes;

    void add(long latencyNanos, int answerBytes) {
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[count++] = latencyNanos;
        bytes += answerBytes;
    }

    /** Every thread's latencies, sorted (for percentiles). */
    static long[] sortedLatencies(List<PollFigures> all) {
        return all.stream().flatMapToLong(f -> Arrays.stream(f.latencies, 0, f.count)).sorted().toArray();
    }

    static long bytes(List<PollFigures> all) {
        return all.stream().mapToLong(f -> f.bytes).sum();
    }
}
