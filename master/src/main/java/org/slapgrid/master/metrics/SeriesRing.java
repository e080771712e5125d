package org.slapgrid.master.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slapgrid.slap.model.MetricSeries;

/**
 * One member's series of one metric, in a fixed amount of memory whatever the master's uptime:
 * three rings of buckets (10 s x 360 = the last hour, 5 min x 288 = the last day, 1 h x 168 =
 * the last week). Every sample goes into the current bucket of each ring (the coarser rings are
 * the downsampled series: average and maximum of the samples their bucket spans); a bucket
 * whose slot comes round again is reset. About 11.4 KiB per series (816 buckets of 14 bytes).
 *
 * <p>Hand-written: the libraries that do this (RRD4J, a TSDB) keep files or a server of their
 * own; this is three arrays per ring and is all the master needs.
 */
final class SeriesRing {

    /** The rings: bucket width in seconds and number of buckets. */
    static final int[][] TIERS = {{10, 360}, {300, 288}, {3600, 168}};
    /** Bytes a series holds (for the documented bound): per bucket an int, two floats, a short. */
    static final long BYTES = 816L * 14;

    private final Tier[] tiers = new Tier[TIERS.length];
    private long lastAt = -1;
    private double last;

    SeriesRing() {
        for (int i = 0; i < TIERS.length; i++) {
            tiers[i] = new Tier(TIERS[i][0], TIERS[i][1]);
        }
    }

    synchronized void add(long atMillis, double value) {
        for (Tier t : tiers) {
            t.add(atMillis, (float) value);
        }
        if (atMillis >= lastAt) {
            lastAt = atMillis;
            last = value;
        }
    }

    /** When the last sample was taken (epoch ms; -1: none yet). */
    synchronized long lastAt() {
        return lastAt;
    }

    synchronized double last() {
        return last;
    }

    /** The finest ring that still covers {@code since}: its bucket width in seconds. */
    static int resolutionFor(long sinceMillis, long nowMillis) {
        long span = Math.max(0, nowMillis - sinceMillis) / 1000;
        for (int[] t : TIERS) {
            if (span <= (long) t[0] * t[1]) {
                return t[0];
            }
        }
        return TIERS[TIERS.length - 1][0];
    }

    /** The buckets of the ring of width {@code resolution} that start at or after the bucket holding {@code since}, oldest first. */
    synchronized List<MetricSeries.Point> points(int resolution, long sinceMillis) {
        for (Tier t : tiers) {
            if (t.width == resolution) {
                return t.points(sinceMillis);
            }
        }
        throw new IllegalArgumentException("no ring of " + resolution + " s");
    }

    private static final class Tier {
        final int width;
        final int[] bucket; // the bucket number (epoch seconds / width) the slot holds; 0: empty
        final float[] avg;
        final float[] max;
        final short[] count;

        Tier(int width, int size) {
            this.width = width;
            bucket = new int[size];
            avg = new float[size];
            max = new float[size];
            count = new short[size];
        }

        void add(long atMillis, float v) {
            int b = (int) (atMillis / 1000 / width);
            int slot = Math.floorMod(b, bucket.length);
            if (bucket[slot] > b) {
                return; // older than what the slot holds now: that bucket has left the ring
            }
            if (bucket[slot] != b) {
                bucket[slot] = b;
                avg[slot] = v;
                max[slot] = v;
                count[slot] = 1;
                return;
            }
            if (count[slot] < Short.MAX_VALUE) {
                count[slot]++;
                avg[slot] += (v - avg[slot]) / count[slot];
            }
            max[slot] = Math.max(max[slot], v);
        }

        List<MetricSeries.Point> points(long sinceMillis) {
            int from = (int) (sinceMillis / 1000 / width);
            List<MetricSeries.Point> out = new ArrayList<>();
            for (int i = 0; i < bucket.length; i++) {
                if (bucket[i] != 0 && bucket[i] >= from) {
                    out.add(new MetricSeries.Point(bucket[i] * (long) width * 1000, avg[i], max[i], count[i]));
                }
            }
            out.sort(Comparator.comparingLong(MetricSeries.Point::at));
            return out;
        }
    }
}
