package org.slapgrid.master.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slapgrid.slap.model.MetricSeries;

/** The ring keeps a fixed number of buckets per resolution, however long it runs, and downsamples into them. */
class SeriesRingTest {
    static final long T0 = 472_223L * 3600_000; // on the hour: every bucket full

    @Test
    void tenDaysOfSamplesEveryTenSecondsKeepAtMostTheRingsBuckets() {
        SeriesRing r = new SeriesRing();
        long end = T0 + 10L * 24 * 3600 * 1000;
        for (long t = T0; t < end; t += 10_000) {
            r.add(t, (t / 10_000) % 2 == 0 ? 1 : 3); // alternating 1 and 3: every coarse bucket averages 2
        }
        List<MetricSeries.Point> raw = r.points(10, 0);
        List<MetricSeries.Point> fiveMin = r.points(300, 0);
        List<MetricSeries.Point> hourly = r.points(3600, 0);
        assertThat(raw).hasSize(360);
        assertThat(fiveMin).hasSize(288);
        assertThat(hourly).hasSize(168);
        assertThat(raw.get(raw.size() - 1).at()).isEqualTo((end - 10_000) / 10_000 * 10_000);
        assertThat(fiveMin).allSatisfy(p -> {
            assertThat(p.count()).isEqualTo(30);
            assertThat(p.avg()).isEqualTo(2.0);
            assertThat(p.max()).isEqualTo(3.0);
        });
        assertThat(hourly.get(0).at()).isEqualTo(hourly.get(hourly.size() - 1).at() - 167L * 3600_000);
        assertThat(r.last()).isEqualTo(3.0);
    }

    @Test
    void theFinestRingCoveringSinceIsChosenAndOnlyNewerBucketsAreAnswered() {
        long now = T0 + 100_000;
        assertThat(SeriesRing.resolutionFor(now - 30 * 60_000, now)).isEqualTo(10);
        assertThat(SeriesRing.resolutionFor(now - 5 * 3600_000, now)).isEqualTo(300);
        assertThat(SeriesRing.resolutionFor(now - 3 * 86_400_000L, now)).isEqualTo(3600);
        assertThat(SeriesRing.resolutionFor(0, now)).isEqualTo(3600);
        SeriesRing r = new SeriesRing();
        for (int i = 0; i < 10; i++) {
            r.add(T0 + i * 10_000L, i);
        }
        assertThat(r.points(10, T0 + 50_000)).extracting(MetricSeries.Point::avg).containsExactly(5.0, 6.0, 7.0, 8.0, 9.0);
    }

    @Test
    void aLateSampleOlderThanItsSlotsBucketIsIgnoredThereAndTheLastStaysTheNewest() {
        SeriesRing r = new SeriesRing();
        r.add(T0 + 3600_000, 5); // slot of T0 now holds the bucket one hour later
        r.add(T0, 100);
        assertThat(r.points(10, 0)).extracting(MetricSeries.Point::avg).containsExactly(5.0);
        assertThat(r.last()).isEqualTo(5.0);
        assertThat(r.lastAt()).isEqualTo(T0 + 3600_000);
    }
}
