package org.slapgrid.benchmarks.master;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.service.Limits;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.SupplyState;

/**
 * The master's database stays bounded for a given fleet, whatever its instances send. A fleet
 * of NODES x PARTITIONS instances, each with parameters near the 128 KiB limit, then every
 * instance floods the master with its own secret: bangs with 20 KB messages and changing 60 KiB
 * connection parameters, from 8 threads, for SECONDS.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.slapgrid.benchmarks.master.MasterGrowthBenchmark [nodes] [partitions] [seconds]</pre>
 *
 * Two runs on SQLite: with the default limits (the rates bound the flood), then with the rate
 * limits lifted and a 20,000-row audit bound pruned every second (retention alone bounds it).
 * Printed: the database's used bytes (pages in use x page size) and files, against the payload
 * bound instances x (parameters + connection parameters + kept bangs) + audit rows.
 */
public final class MasterGrowthBenchmark {
    static final String SR = "https://example.org/benchmark/software.cfg";

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        System.out.printf("master growth: %d nodes x %d partitions, %d s of flood per run, 8 threads, %d cores%n",
                nodes, partitions, seconds, Runtime.getRuntime().availableProcessors());
        Limits defaults = Limits.defaults();
        run("default limits", defaults, nodes, partitions, seconds);
        Limits.Rate unlimited = new Limits.Rate(1_000_000_000, Duration.ofNanos(1));
        run("no rate limit, 20k audit rows", defaults.withRates(unlimited, unlimited)
                .withRetention(defaults.bangsPerInstance(), defaults.bangMaxAge(), 20_000, defaults.auditMaxAge())
                .withPruneInterval(Duration.ofSeconds(1)), nodes, partitions, seconds);
    }

    private record Member(Instance instance, String secret) {
    }

    static void run(String label, Limits limits, int nodes, int partitions, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("slapgrid-growth");
        MasterConfig config = MasterConfig.defaults(dir).withListen("127.0.0.1", 0).withLimits(limits);
        try (Master master = Master.start(config)) {
            SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(config.adminTokenFile()).strip()).build();
            String params = "p".repeat(limits.maxParametersBytes() - 1024);
            List<Member> fleet = new ArrayList<>();
            for (int n = 0; n < nodes; n++) {
                String id = "node" + n;
                List<String> parts = IntStream.range(0, partitions).mapToObj(p -> "slappart" + p).toList();
                SlapClient node = SlapClient.builder(master.url()).token(admin.registerNode(id, parts).secret()).build();
                admin.supply(SR, id, SupplyState.AVAILABLE);
                for (String p : parts) {
                    Instance i = admin.request(new InstanceRequest(id + "-" + p, SR, null, Map.of("blob", params), null, false,
                            Map.of("node", id, "partition", p)));
                    fleet.add(new Member(i, node.issueInstanceSecret(id, p).secret()));
                }
            }
            long setUp = usedBytes(master);
            System.out.printf("%-30s after set-up of %d instances: %s%n", label, fleet.size(), sizes(master, dir));

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String bang = "{\"message\":\"" + "b".repeat(20_000) + "\"}";
            String blob = "c".repeat(limits.maxConnectionBytes() - 1024);
            AtomicLong accepted = new AtomicLong();
            AtomicLong limited = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                workers.add(pool.submit(() -> {
                    long round = 0;
                    for (int k = offset; System.nanoTime() < end; k += 8) {
                        Member m = fleet.get(k % fleet.size());
                        round++;
                        for (HttpRequest r : List.of(
                                post(master.url(), "api/v1/instance/bang", m.secret(), bang, "POST"),
                                post(master.url(), "api/v1/instance/connection", m.secret(),
                                        "{\"parameters\":{\"blob\":\"" + blob + "\",\"round\":" + round + "}}", "PUT"))) {
                            int status = http.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status == 204) {
                                accepted.incrementAndGet();
                            } else if (status == 429) {
                                limited.incrementAndGet();
                            } else {
                                throw new IllegalStateException("unexpected status " + status);
                            }
                        }
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            while (workers.stream().anyMatch(w -> !w.isDone())) {
                Thread.sleep(100);
                long elapsed = (System.nanoTime() - started) / 1_000_000_000L;
                if (elapsed > 0 && elapsed % 10 == 0 && (System.nanoTime() - started) % 1_000_000_000L < 100_000_000L) {
                    System.out.printf("%-30s   %3d s: %s%n", label, elapsed, sizes(master, dir));
                }
            }
            for (Future<?> w : workers) {
                w.get();
            }
            pool.shutdown();
            new org.slapgrid.master.service.Retention(master.database(), limits).prune();
            long used = usedBytes(master);
            long bangs = count(master, "bang");
            long audit = count(master, "audit");
            long auditBytes = master.database().read(c -> Sql.one(c, "SELECT COALESCE(SUM(LENGTH(id) + LENGTH(actor)"
                    + " + LENGTH(action) + LENGTH(target) + COALESCE(LENGTH(detail), 0) + 8), 0) FROM audit",
                    rs -> rs.getLong(1))).orElse(0L);
            long perInstance = limits.maxParametersBytes() + limits.maxConnectionBytes()
                    + (long) limits.bangsPerInstance() * limits.maxMessageChars();
            long bound = fleet.size() * perInstance + limits.auditMaxRows() * Math.max(1, audit == 0 ? 200 : auditBytes / audit);
            System.out.printf("%-30s flood: %,d writes accepted, %,d refused (429) in %d s; %,d bangs and %,d audit rows kept%n",
                    label, accepted.get(), limited.get(), seconds, bangs, audit);
            System.out.printf("%-30s after the flood: %s; grew %.1f MiB; payload bound %.1f MiB"
                            + " (%d x %.0f KiB per instance + %,d audit rows x %d B)%n",
                    label, sizes(master, dir), (used - setUp) / 1048576.0, bound / 1048576.0, fleet.size(), perInstance / 1024.0,
                    limits.auditMaxRows(), audit == 0 ? 200 : auditBytes / audit);
        }
    }

    static HttpRequest post(URI base, String path, String secret, String body, String method) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static long count(Master master, String table) {
        return master.database().read(c -> Sql.one(c, "SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1))).orElse(0L);
    }

    /** Pages in use x page size: what the data takes, whether or not SQLite has returned freed pages to the file system. */
    static long usedBytes(Master master) {
        return master.database().read(c -> {
            long pages = Sql.one(c, "PRAGMA page_count", rs -> rs.getLong(1)).orElse(0L);
            long free = Sql.one(c, "PRAGMA freelist_count", rs -> rs.getLong(1)).orElse(0L);
            long size = Sql.one(c, "PRAGMA page_size", rs -> rs.getLong(1)).orElse(0L);
            return (pages - free) * size;
        });
    }

    static String sizes(Master master, Path dir) throws Exception {
        long db = Files.size(dir.resolve("master.db"));
        Path wal = dir.resolve("master.db-wal");
        long w = Files.exists(wal) ? Files.size(wal) : 0;
        return String.format("used %.1f MiB (file %.1f MiB + WAL %.1f MiB)", usedBytes(master) / 1048576.0, db / 1048576.0,
                w / 1048576.0);
    }
}
