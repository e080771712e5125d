package org.slapgrid.benchmarks.master;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.LocalPostgres;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.SupplyState;

/**
 * Node-information polls per second and latency percentiles, 100 nodes x 50 partitions, every
 * partition hosting an instance, on SQLite and on PostgreSQL. Client and master share the
 * machine (and its 2 cores), so the figures are a floor for the master alone.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.slapgrid.benchmarks.master.NodePollBenchmark [sqlite|postgresql|both] [seconds] [threads]</pre>
 *
 * Two kinds of poll: "full" (GET without ETag: the whole node document) and "unchanged"
 * (If-None-Match with the current version and wait=0: a 304, what an idle daemon costs).
 */
public final class NodePollBenchmark {
    static final int NODES = 100;
    static final int PARTITIONS = 50;
    static final String SR = "https://example.org/benchmark/software.cfg";

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        System.out.printf("master node polls: %d nodes x %d partitions, %d client threads, %d s per run, %d cores%n",
                NODES, PARTITIONS, threads, seconds, Runtime.getRuntime().availableProcessors());
        if (which.equals("sqlite") || which.equals("both")) {
            Path dir = Files.createTempDirectory("slapgrid-bench");
            run("SQLite", MasterConfig.defaults(dir).withListen("127.0.0.1", 0), seconds, threads);
        }
        if (which.equals("postgresql") || which.equals("both")) {
            Path bin = LocalPostgres.findBinaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed"));
            try (LocalPostgres pg = LocalPostgres.start(bin)) {
                Path dir = Files.createTempDirectory("slapgrid-bench");
                run("PostgreSQL", MasterConfig.defaults(dir).withListen("127.0.0.1", 0).withDb(pg.createDatabase("bench")),
                        seconds, threads);
            }
        }
    }

    private record Node(String id, String secret) {
    }

    static void run(String label, MasterConfig config, int seconds, int threads) throws Exception {
        try (Master master = Master.start(config)) {
            String adminToken = Files.readString(config.adminTokenFile()).strip();
            SlapClient admin = SlapClient.builder(master.url()).token(adminToken).build();
            long t0 = System.nanoTime();
            List<Node> nodes = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                String id = "node" + n;
                List<String> parts = IntStream.range(0, PARTITIONS).mapToObj(p -> "slappart" + p).toList();
                nodes.add(new Node(id, admin.registerNode(id, parts).secret()));
                admin.supply(SR, id, SupplyState.AVAILABLE);
            }
            for (int i = 0; i < NODES * PARTITIONS; i++) {
                admin.request(InstanceRequest.of("instance-" + i, SR, Map.of("index", Integer.toString(i), "size", "small")));
            }
            System.out.printf("%s: set up %d instances in %.1f s%n", label, NODES * PARTITIONS, (System.nanoTime() - t0) / 1e9);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<String, Long> versions = new java.util.HashMap<>();
            for (Node n : nodes) {
                versions.put(n.id(), SlapClient.builder(master.url()).token(n.secret()).build().nodeInfo(n.id()).version());
            }
            measure(label + " full", master.url(), http, nodes, null, 3, threads);
            measure(label + " full", master.url(), http, nodes, null, seconds, threads);
            measure(label + " unchanged", master.url(), http, nodes, versions, seconds, threads);
            wakeUp(label, master, admin, nodes.get(0));
        }
    }

    static void measure(String label, URI base, HttpClient http, List<Node> nodes, Map<String, Long> etags, int seconds,
                        int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<PollFigures>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            futures.add(pool.submit(() -> {
                PollFigures figures = new PollFigures();
                for (int i = offset; System.nanoTime() < end; i += threads) {
                    Node n = nodes.get(i % nodes.size());
                    HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve("api/v1/nodes/" + n.id()))
                            .header("Authorization", "Bearer " + n.secret()).timeout(Duration.ofSeconds(30));
                    if (etags != null) {
                        rb.header("If-None-Match", "\"" + etags.get(n.id()) + "\"");
                    }
                    long s = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(rb.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                    long d = System.nanoTime() - s;
                    int expected = etags == null ? 200 : 304;
                    if (r.statusCode() != expected) {
                        throw new IllegalStateException("unexpected status " + r.statusCode() + " for " + n.id());
                    }
                    figures.add(d, r.body().length);
                }
                return figures;
            }));
        }
        List<PollFigures> all = new ArrayList<>();
        for (Future<PollFigures> f : futures) {
            all.add(f.get());
        }
        pool.shutdown();
        long bytes = PollFigures.bytes(all);
        long[] sorted = PollFigures.sortedLatencies(all);
        System.out.printf("%-22s %8.0f polls/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  (%d polls, %.1f KiB each)%n",
                label, sorted.length / (double) seconds, pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
                sorted.length, sorted.length == 0 ? 0 : bytes / 1024.0 / sorted.length);
    }

    /**
     * A node long-polls, a user changes one of its instances. Two figures: from sending the
     * change to the poll's answer (the change's own round trip included), and from the change's
     * answer (it is committed by then) to the poll's answer (0 when the poll answered first).
     */
    static void wakeUp(String label, Master master, SlapClient admin, Node node) throws Exception {
        SlapClient client = SlapClient.builder(master.url()).token(node.secret()).build();
        int rounds = 50;
        long[] withRequest = new long[rounds];
        long[] afterCommit = new long[rounds];
        ExecutorService pool = Executors.newSingleThreadExecutor();
        for (int i = 0; i < rounds; i++) {
            long known = client.nodeInfo(node.id()).version();
            Future<Long> poll = pool.submit(() -> {
                if (client.nodeInfo(node.id(), known, Duration.ofSeconds(30)).isEmpty()) {
                    throw new IllegalStateException("the long-poll returned without the change");
                }
                return System.nanoTime();
            });
            Thread.sleep(20); // let the poll reach the master and park before the change
            long s = System.nanoTime();
            admin.request(InstanceRequest.of("instance-0", SR, Map.of("index", "0", "size", "round-" + i)));
            long committed = System.nanoTime();
            long answered = poll.get();
            withRequest[i] = answered - s;
            afterCommit[i] = Math.max(0, answered - committed);
        }
        pool.shutdown();
        Arrays.sort(withRequest);
        Arrays.sort(afterCommit);
        System.out.printf("%-22s send change -> poll answer: p50 %.2f ms  max %.2f ms;  committed -> poll answer: p50 %.2f ms  max %.2f ms  (%d changes)%n",
                label + " wake-up", pct(withRequest, 0.5), withRequest[rounds - 1] / 1e6,
                pct(afterCommit, 0.5), afterCommit[rounds - 1] / 1e6, rounds);
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
