package org.slapgrid.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.limits.CgroupController;
import org.slapgrid.node.limits.LimitsConfig;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.slap.model.MetricBatch;

/** One round of the metrics step over a partition directory: its etc/metric executables, CPU and memory. */
class MetricsStepTest {

    @TempDir
    Path tmp;

    static void executable(Path file, String script) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A machine without cgroups: memory then comes from /proc. */
    static final CgroupController NO_CGROUPS = new CgroupController() {
        public Availability availability() { return new Availability(false, null, "test"); }
        public void apply(String partitionId, org.slapgrid.node.limits.PartitionLimits limits) { }
        public List<String> enterCommand(String partitionId) { return List.of(); }
        public java.util.Optional<Usage> usage(String partitionId) { return java.util.Optional.empty(); }
        public java.util.Optional<org.slapgrid.node.limits.PartitionLimits> limits(String partitionId) { return java.util.Optional.empty(); }
        public void release(String partitionId) { }
        public void releaseAll() { }
    };

    MetricsStep step(boolean multiUser, List<String> log) {
        PartitionLimiter limits = new PartitionLimiter(NO_CGROUPS, LimitsConfig.defaults(tmp), tmp.resolve("state"),
                java.time.Clock.systemUTC());
        return new MetricsStep(null, "n", limits, new MetricSettings(Duration.ofSeconds(1), Duration.ofSeconds(1)), multiUser,
                log::add);
    }

    @Test
    void eachMetricExecutablesLastLineIsASampleAndABrokenOneIsSaidOnce() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("slappart0"));
        executable(dir.resolve("etc/metric/load"), "echo starting; echo 4.5");
        executable(dir.resolve("etc/metric/queue"), "echo lots");
        executable(dir.resolve("etc/metric/slow"), "sleep 30; echo 1");
        executable(dir.resolve("etc/metric/Bad Name"), "echo 1");
        List<String> log = new ArrayList<>();
        Partition p = new Partition("slappart0", 0, dir, null, "127.0.0.1");
        try (MetricsStep step = step(false, log)) {
            long t0 = System.nanoTime();
            List<MetricBatch.Sample> s = step.sample(List.of(p));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the slow one is cut at its timeout").isLessThan(Duration.ofSeconds(10));
            assertThat(s).extracting(MetricBatch.Sample::partition, MetricBatch.Sample::metric, MetricBatch.Sample::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("slappart0", "load", 4.5));
            step.sample(List.of(p));
            assertThat(log).hasSize(3).anyMatch(l -> l.contains("etc/metric/queue: printed no number: lots"))
                    .anyMatch(l -> l.contains("etc/metric/slow: timed out"))
                    .anyMatch(l -> l.contains("etc/metric/Bad Name: not a metric name"));
        }
    }

    @Test
    void cpuAndMemoryOfThePartitionsUserFromProc() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("slappart1"));
        String me = System.getProperty("user.name");
        Partition p = new Partition("slappart1", 1, dir, me, "127.0.0.1");
        try (MetricsStep step = step(true, new ArrayList<>())) {
            List<MetricBatch.Sample> first = step.sample(List.of(p));
            assertThat(first).extracting(MetricBatch.Sample::metric).containsExactly("memory");
            assertThat(first.get(0).value()).as("this JVM alone is resident").isGreaterThan(10 << 20);
            long until = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < until) {
                Math.sqrt(System.nanoTime()); // some CPU time for the difference
            }
            List<MetricBatch.Sample> second = step.sample(List.of(p));
            assertThat(second).extracting(MetricBatch.Sample::metric).containsExactly("memory", "cpu");
            assertThat(second.get(1).value()).isGreaterThan(0.1);
        }
    }
}
