package org.slapgrid.benchmarks.master;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.MetricBatch;
import org.slapgrid.slap.model.MetricSeries;
import org.slapgrid.slap.model.SupplyState;

/**
 * The master's metric memory stays bounded (issue 14): MEMBERS cluster members (4 clusters, on
 * 10 nodes) each send 4 metrics every 10 s of simulated time, for HOURS simulated hours, one
 * batch per node per round over HTTP, from 4 threads. Printed after each simulated hour: the
 * master's heap in use after a full GC (this JVM is the master: the clients' share is small and
 * constant), the series held, and the ingest rate (samples a second, wall clock).
 *
 * <p>With a third argument {@code postgresql}, the master runs on a local PostgreSQL (started for
 * the run): every accepted sample of the last hour is also queued for the shared table
 * {@code metric_sample}, written in batches; printed are the rows written and dropped, and how
 * long the queue took to drain after the last round.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.slapgrid.benchmarks.master.MetricIngestBenchmark [members] [hours] [postgresql]</pre>
 */
public final class MetricIngestBenchmark {
    static final String SR = "https://example.org/benchmark/web.cfg";
    static final int NODES = 10;
    static final int CLUSTERS = 4;
    static final String[] METRICS = {"cpu", "memory", "load", "queue"};
    static final int ROUNDS_PER_HOUR = 360;

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        boolean pg = args.length > 2 && args[2].equals("postgresql");
        Path dir = Files.createTempDirectory("slapgrid-metrics");
        MasterConfig config = MasterConfig.defaults(dir).withListen("127.0.0.1", 0);
        org.slapgrid.master.store.LocalPostgres postgres = null;
        if (pg) {
            postgres = org.slapgrid.master.store.LocalPostgres.start(org.slapgrid.master.store.LocalPostgres.findBinaries()
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries on this machine")));
            config = config.withDb(postgres.createDatabase("metrics"));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (Master master = Master.start(config)) {
            SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(config.adminTokenFile()).strip()).build();
            int perNode = (members + NODES - 1) / NODES;
            SlapClient[] nodes = new SlapClient[NODES];
            for (int n = 0; n < NODES; n++) {
                List<String> parts = IntStream.range(0, perNode).mapToObj(p -> "slappart" + p).toList();
                nodes[n] = SlapClient.builder(master.url()).token(admin.registerNode("node" + n, parts).secret()).build();
                admin.supply(SR, "node" + n, SupplyState.AVAILABLE);
            }
            // node index -> its members' partitions
            List<List<String>> partitionsOf = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                partitionsOf.add(new ArrayList<>());
            }
            long t0 = System.nanoTime();
            for (int c = 0; c < CLUSTERS; c++) {
                int size = members / CLUSTERS + (c < members % CLUSTERS ? 1 : 0);
                ClusterInfo info = admin.createCluster(new ClusterRequest("web" + c, SR, ClusterTopology.FLEX, Map.of(),
                        List.of(new ClusterRole("web", "default", Map.of(), size, 1, size))));
                for (ClusterMember m : info.members()) {
                    partitionsOf.get(Integer.parseInt(m.node().substring(4))).add(m.partition());
                }
            }
            System.out.printf("metric ingest: %d members in %d clusters on %d nodes, %d metrics every 10 s, %d cores;"
                    + " set up in %.1f s%n", members, CLUSTERS, NODES, METRICS.length, Runtime.getRuntime().availableProcessors(),
                    (System.nanoTime() - t0) / 1e9);
            long baseline = heapAfterGc(memory);
            System.out.printf("heap in use after set-up (no metrics yet): %.1f MiB%n", baseline / 1048576.0);

            ExecutorService pool = Executors.newFixedThreadPool(4);
            long start = System.currentTimeMillis() - hours * 3600_000L; // simulated time ends now
            for (int h = 0; h < hours; h++) {
                long wall = System.nanoTime();
                long samples = 0;
                for (int r = 0; r < ROUNDS_PER_HOUR; r++) {
                    long at = start + (h * ROUNDS_PER_HOUR + r) * 10_000L;
                    List<Future<Integer>> sent = new ArrayList<>();
                    for (int n = 0; n < NODES; n++) {
                        int node = n;
                        sent.add(pool.submit(() -> {
                            List<MetricBatch.Sample> batch = new ArrayList<>();
                            for (String p : partitionsOf.get(node)) {
                                for (int k = 0; k < METRICS.length; k++) {
                                    batch.add(new MetricBatch.Sample(p, METRICS[k], at, Math.sin(at / 600_000.0 + k) * 10 + 10));
                                }
                            }
                            return nodes[node].sendMetrics("node" + node, new MetricBatch(batch)).accepted();
                        }));
                    }
                    for (Future<Integer> f : sent) {
                        samples += f.get();
                    }
                }
                double seconds = (System.nanoTime() - wall) / 1e9;
                long heap = heapAfterGc(memory);
                System.out.printf("simulated hour %d: %,d samples in %.1f s = %,.0f samples/s; series held %,d;"
                                + " heap in use %.1f MiB (%.1f MiB over set-up; bound %,d series x %,d B = %.1f MiB)%n",
                        h + 1, samples, seconds, samples / seconds, master.metrics().store().seriesCount(), heap / 1048576.0,
                        (heap - baseline) / 1048576.0, master.metrics().store().seriesCount(), seriesBytes(),
                        master.metrics().store().seriesCount() * seriesBytes() / 1048576.0);
            }
            pool.shutdown();
            if (pg) {
                long d = System.nanoTime();
                master.metrics().flush();
                long[] counts = master.metrics().sharedCounts();
                long rows = master.database().read(c -> org.slapgrid.master.store.Sql.one(c, "SELECT COUNT(*) FROM metric_sample",
                        rs -> rs.getLong(1))).orElseThrow();
                System.out.printf("shared samples (PostgreSQL): %,d written, %,d dropped (queue full), %,d rows in metric_sample;"
                        + " queue drained %.1f s after the last round%n", counts[0], counts[1], rows, (System.nanoTime() - d) / 1e9);
            }
            long q = System.nanoTime();
            MetricSeries s = admin.clusterMetrics("web0", System.currentTimeMillis() - 600_000, null);
            System.out.printf("GET /clusters/web0/metrics?since=10 min: %d series, %d points, %.0f ms%n", s.series().size(),
                    s.series().stream().mapToInt(x -> x.points().size()).sum(), (System.nanoTime() - q) / 1e6);
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** What one series holds, as the master documents it. */
    static long seriesBytes() {
        return 816L * 14;
    }

    static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
