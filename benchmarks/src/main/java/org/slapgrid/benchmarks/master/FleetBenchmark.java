package org.slapgrid.benchmarks.master;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slapgrid.master.store.LocalPostgres;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;

/**
 * Fleet scale (issue 18): N nodes x P partitions (1,000 x 50 by default), every partition busy,
 * over two master processes sharing one PostgreSQL, against nginx serving the same node
 * documents as static files, measured with the same load generator in the same run.
 *
 * <pre>benchmarks/fleet.sh [nodes] [partitions] [seconds] [connections] [base port]</pre>
 *
 * Everything runs on 127.0.0.1 from {@code base port} (25000): PostgreSQL (initdb in a temporary
 * directory) on +0, master A on +1, master B on +2 (each {@code slapos master} in a JVM of its own,
 * {@code FLEET_MASTER_OPTS} adds JVM options, e.g. a flight recording), nginx on +3. The load
 * generator ({@link RawHttp}: keep-alive sockets, one thread each) polls the nodes round-robin,
 * each with its own node secret, half the connections on each master; then the same number of
 * connections on nginx. Then the wake-up across masters: 100 nodes long-poll one master while
 * their instances are changed through the other, idle and under the unchanged-poll load.
 */
public final class FleetBenchmark {
    static final String SR = "https://example.org/benchmark/software.cfg";
    static final int WAKE_NODES = 100;

    private record Node(String id, String secret) {
    }

    private record Target(String label, int port) {
        String hostPort() {
            return "127.0.0.1:" + port;
        }
    }

    /** One measured run: polls per second and latency percentiles. */
    record Result(String label, double perSecond, double p50, double p99, double max, long count, double kib) {
        @Override
        public String toString() {
            return String.format("%-30s %8.0f polls/s  p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  (%d polls, %.1f KiB)",
                    label, perSecond, p50, p99, max, count, kib);
        }
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int base = args.length > 4 ? Integer.parseInt(args[4]) : 25000;
        int rounds = Integer.getInteger("fleet.rounds", 2);
        System.out.printf("fleet: %d nodes x %d partitions, 2 masters on one PostgreSQL vs nginx, %d connections, %d s per run, "
                + "%d rounds%n", nodes, partitions, connections, seconds, rounds);
        System.out.println("date " + Instant.now() + "; " + machine());
        Path work = Files.createTempDirectory("slapgrid-fleet", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x"))); // nginx's workers (nobody) read the documents
        List<Process> processes = new ArrayList<>();
        Path bin = LocalPostgres.findBinaries().orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed"));
        try (LocalPostgres pg = LocalPostgres.start(bin, base)) {
            String db = pg.createDatabase("fleet");
            Target a = new Target("master A", base + 1);
            Target b = new Target("master B", base + 2);
            Target nginx = new Target("nginx", base + 3);
            processes.add(startMaster(work.resolve("a"), a.port(), db));
            String adminToken = Files.readString(work.resolve("a/admin-token")).strip();
            processes.add(startMaster(work.resolve("b"), b.port(), db)); // finds the admin, creates none
            SlapClient adminA = client(a, adminToken);
            SlapClient adminB = client(b, adminToken);

            long t0 = System.nanoTime();
            List<Node> fleet = setUp(nodes, partitions, adminA, adminB, db);
            System.out.printf("set up %d nodes, %d instances (%s) in %.1f s (load %s)%n", nodes, nodes * partitions,
                    "api".equals(System.getProperty("fleet.setup", "sql")) ? "all through the masters"
                            : "nodes and node0's instances through the masters, the others copied in SQL",
                    (System.nanoTime() - t0) / 1e9, load());

            // The documents: each master's must be the same bytes; nginx serves them as files.
            Path www = work.resolve("www/docs");
            Files.createDirectories(www);
            Map<String, String> masterEtags = new java.util.HashMap<>();
            long totalBytes = 0;
            try (RawHttp ca = new RawHttp("127.0.0.1", a.port(), 30_000); RawHttp cb = new RawHttp("127.0.0.1", b.port(), 30_000)) {
                for (Node n : fleet) {
                    byte[] fromA = fetch(ca, a, n, null, 200);
                    String etag = ca.etag;
                    byte[] fromB = fetch(cb, b, n, null, 200);
                    if (!Arrays.equals(fromA, fromB) || !etag.equals(cb.etag)) {
                        throw new IllegalStateException("masters A and B answer different documents for " + n.id());
                    }
                    String doc = new String(fromA, StandardCharsets.UTF_8);
                    String name = "\"name\":\"n" + n.id().substring(4) + "-";
                    if (doc.split(java.util.regex.Pattern.quote(name), -1).length - 1 != partitions) {
                        throw new IllegalStateException(n.id() + "'s document does not hold its " + partitions + " instances");
                    }
                    masterEtags.put(n.id(), etag);
                    Files.write(www.resolve(n.id() + ".json"), fromA);
                    totalBytes += fromA.length;
                }
            }
            System.out.printf("node document: %.1f KiB on average, the same bytes and ETag from both masters%n",
                    totalBytes / 1024.0 / nodes);
            processes.add(startNginx(work.resolve("nginx"), work.resolve("www"), nginx.port(), fleet));
            Map<String, String> nginxEtags = new java.util.HashMap<>();
            try (RawHttp cn = new RawHttp("127.0.0.1", nginx.port(), 30_000)) {
                for (Node n : fleet) {
                    byte[] body = fetch(cn, nginx, n, null, 200);
                    if (!Arrays.equals(body, Files.readAllBytes(www.resolve(n.id() + ".json")))) {
                        throw new IllegalStateException("nginx serves another document for " + n.id());
                    }
                    nginxEtags.put(n.id(), cn.etag);
                }
                cn.send(RawHttp.get(nginx.hostPort(), "/api/v1/nodes/" + fleet.get(0).id(), "not-the-secret", null));
                if (cn.status != 401) {
                    throw new IllegalStateException("nginx answers " + cn.status + " to a wrong secret");
                }
            }

            List<Target> masters = List.of(a, b);
            List<Target> ngx = List.of(nginx);
            List<String[]> summary = new ArrayList<>();
            for (String mode : List.of("full", "unchanged")) {
                for (int r = 0; r < rounds; r++) {
                    Map<String, String> me = mode.equals("full") ? null : masterEtags;
                    Map<String, String> ne = mode.equals("full") ? null : nginxEtags;
                    int status = mode.equals("full") ? 200 : 304;
                    String before = load();
                    poll("warm-up", masters, fleet, me, 8, connections, status, null); // C2 needs longer under load
                    Result m = poll("2 masters " + mode, masters, fleet, me, seconds, connections, status, null);
                    poll("warm-up", ngx, fleet, ne, 2, connections, status, null);
                    Result n = poll("nginx " + mode, ngx, fleet, ne, seconds, connections, status, null);
                    String after = load();
                    System.out.println(m);
                    System.out.println(n);
                    System.out.printf("  ratio masters/nginx: %.2f (polls/s), load %s -> %s%n", m.perSecond() / n.perSecond(), before, after);
                    summary.add(new String[] {mode, String.format("%.0f", m.perSecond()), String.format("%.2f / %.2f", m.p50(), m.p99()),
                            String.format("%.0f", n.perSecond()), String.format("%.2f / %.2f", n.p50(), n.p99()),
                            String.format("%.1f %%", 100 * m.perSecond() / n.perSecond()), before + " -> " + after});
                }
            }

            List<String> wake = new ArrayList<>();
            String before = load();
            wake.add(wakeUp("idle", a, b, adminA, adminB, fleet, masterEtags, 200, null));
            wake.add(wakeUp("under unchanged-poll load", a, b, adminA, adminB, fleet, masterEtags, 200,
                    stop -> poll("background", masters, fleet.subList(Math.min(WAKE_NODES, fleet.size() / 2), fleet.size()), masterEtags, 3600, connections, 304,
                            stop)));
            String after = load();

            System.out.println();
            System.out.println("| poll | 2 masters polls/s | p50 / p99 ms | nginx polls/s | p50 / p99 ms | masters / nginx | load average |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (String[] row : summary) {
                System.out.println("| " + String.join(" | ", row) + " |");
            }
            System.out.println();
            System.out.println("| wake-up across masters (" + Math.min(WAKE_NODES, nodes / 2) + " nodes long-polling, 200 changes) "
                    + "| committed -> answer p50 / p99 / max | send -> answer p50 / p99 / max |");
            System.out.println("|---|---|---|");
            wake.forEach(System.out::println);
            System.out.println("load average " + before + " -> " + after + "; " + machine());
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                Process p = processes.get(i);
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            try (Stream<Path> all = Files.walk(work)) {
                if (Boolean.getBoolean("fleet.keep")) {
                    System.out.println("kept " + work);
                } else {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static SlapClient client(Target t, String token) {
        return SlapClient.builder(URI.create("http://" + t.hostPort() + "/")).token(token).build();
    }

    /**
     * Registers the nodes and supplies the release through the masters, 8 requests at a time over
     * both, and fills every partition. With {@code -Dfleet.setup=api} every instance is requested
     * through the masters (about 40 to 150 a second here: 50,000 take 6 to 20 minutes); by default
     * only node0's are, and the other nodes get copies of node0's rows in SQL (their own ids, names,
     * filters and partitions), which makes the same documents in seconds. The polls measured do
     * not depend on how the rows were written.
     */
    private static List<Node> setUp(int nodes, int partitions, SlapClient adminA, SlapClient adminB, String db) throws Exception {
        boolean api = "api".equals(System.getProperty("fleet.setup", "sql"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Node>> futures = new ArrayList<>();
            for (int k = 0; k < nodes; k++) {
                int node = k;
                futures.add(pool.submit(() -> {
                    SlapClient admin = node % 2 == 0 ? adminA : adminB;
                    String id = "node" + node;
                    List<String> parts = IntStream.range(0, partitions).mapToObj(p -> "slappart" + p).toList();
                    Node n = new Node(id, admin.registerNode(id, parts).secret());
                    admin.supply(SR, id, SupplyState.AVAILABLE);
                    if (api || node == 0) {
                        for (int p = 0; p < partitions; p++) {
                            admin.request(request(node, p, Map.of("index", Integer.toString(node * partitions + p), "size", "small")));
                        }
                    }
                    return n;
                }));
            }
            List<Node> fleet = new ArrayList<>();
            for (Future<Node> f : futures) {
                fleet.add(f.get());
            }
            if (!api && nodes > 1) {
                copyInstances(db, nodes);
            }
            return fleet;
        } finally {
            pool.shutdown();
        }
    }

    /** node0's instances copied to nodes 1..N-1, each in the same partition of its own node; every node's version bumped. */
    private static void copyInstances(String db, int nodes) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db, "postgres", "")) {
            c.setAutoCommit(false);
            List<String> columns = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_name = 'instance' ORDER BY ordinal_position")) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            Map<String, String> exprs = Map.of(
                    "id", "'i' || md5(i.id || '/' || k)",
                    "root_id", "'i' || md5(i.id || '/' || k)",
                    "name", "'n' || k || '-' || split_part(i.name, '-', 2)",
                    "node_id", "'node' || k",
                    "node_filter", "replace(i.node_filter, '\"node0\"', '\"node' || k || '\"')");
            String select = columns.stream().map(col -> exprs.getOrDefault(col, "i." + col)).collect(java.util.stream.Collectors.joining(", "));
            try (var st = c.createStatement()) {
                st.executeUpdate("INSERT INTO instance (" + String.join(", ", columns) + ") SELECT " + select
                        + " FROM instance i, generate_series(1, " + (nodes - 1) + ") k WHERE i.node_id = 'node0'");
                st.executeUpdate("UPDATE node_partition p SET instance_id = i.id FROM instance i"
                        + " WHERE i.node_id <> 'node0' AND p.node_id = i.node_id AND p.id = i.partition_id AND p.instance_id IS NULL");
                st.executeUpdate("UPDATE node SET version = version + 1");
            }
            c.commit();
        }
    }

    private static InstanceRequest request(int node, int partition, Map<String, Object> parameters) {
        return new InstanceRequest("n" + node + "-" + partition, SR, "default", parameters, RequestedState.STARTED, false,
                Map.of("node", "node" + node, "partition", "slappart" + partition));
    }

    private static byte[] fetch(RawHttp c, Target t, Node n, String etag, int expected) throws IOException {
        int status = c.send(RawHttp.get(t.hostPort(), "/api/v1/nodes/" + n.id(), n.secret(), etag));
        if (status != expected) {
            throw new IllegalStateException(t.label() + " answered " + status + " for " + n.id() + ": "
                    + new String(c.body, StandardCharsets.UTF_8));
        }
        return c.body;
    }

    /**
     * Closed-loop load: {@code connections} threads, each its own keep-alive connection to one of
     * {@code targets} (in turn), each polling the nodes round-robin from its own offset.
     */
    static Result poll(String label, List<Target> targets, List<Node> fleet, Map<String, String> etags, int seconds,
                       int connections, int expected, AtomicBoolean stopped) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicBoolean stop = stopped == null ? new AtomicBoolean() : stopped;
        List<Future<PollFigures>> futures = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            int offset = t;
            Target target = targets.get(t % targets.size());
            byte[][] requests = new byte[fleet.size()][];
            for (int i = 0; i < fleet.size(); i++) {
                Node n = fleet.get(i);
                requests[i] = RawHttp.get(target.hostPort(), "/api/v1/nodes/" + n.id(), n.secret(),
                        etags == null ? null : etags.get(n.id()));
            }
            futures.add(pool.submit(() -> {
                PollFigures figures = new PollFigures();
                try (RawHttp c = new RawHttp("127.0.0.1", target.port(), 30_000)) {
                    for (int i = offset * 7919; System.nanoTime() < end && !stop.get(); i++) {
                        long s = System.nanoTime();
                        int status = c.send(requests[i % requests.length]);
                        long d = System.nanoTime() - s;
                        if (status != expected) {
                            throw new IllegalStateException(target.label() + " answered " + status + ", not " + expected);
                        }
                        figures.add(d, c.body.length);
                    }
                }
                return figures;
            }));
        }
        long started = System.nanoTime();
        List<PollFigures> parts = new ArrayList<>();
        try {
            for (Future<PollFigures> f : futures) {
                parts.add(f.get());
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        double elapsed = Math.min(seconds, (System.nanoTime() - started) / 1e9);
        long bytes = PollFigures.bytes(parts);
        long[] sorted = PollFigures.sortedLatencies(parts);
        if (sorted.length == 0) {
            return new Result(label, 0, 0, 0, 0, 0, 0);
        }
        return new Result(label, sorted.length / elapsed, pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
                sorted.length, bytes / 1024.0 / sorted.length);
    }

    /** A background load that runs until interrupted. */
    interface Background {
        Result run(AtomicBoolean stop) throws Exception;
    }

    /**
     * The first {@link #WAKE_NODES} nodes long-poll (wait=30, their current ETag), the even ones on
     * B and the odd ones on A; one change after another goes through the other master (a user's
     * request changing a parameter of the node's first instance). Per change: from its answer
     * (committed by then) to the poll's answer, and from sending it to the poll's answer.
     */
    static String wakeUp(String label, Target a, Target b, SlapClient adminA, SlapClient adminB, List<Node> fleet,
                         Map<String, String> etags, int changes, Background background) throws Exception {
        int wakeNodes = Math.min(WAKE_NODES, fleet.size() / 2);
        List<BlockingQueue<Long>> answers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pollers = Executors.newFixedThreadPool(wakeNodes + 1);
        List<Future<?>> running = new ArrayList<>();
        List<String> known = new ArrayList<>();
        List<RawHttp> open = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean loadStop = new AtomicBoolean();
        try {
            for (int k = 0; k < wakeNodes; k++) {
                Node n = fleet.get(k);
                Target on = k % 2 == 0 ? b : a;
                BlockingQueue<Long> q = new ArrayBlockingQueue<>(16);
                answers.add(q);
                try (RawHttp c = new RawHttp("127.0.0.1", on.port(), 30_000)) { // the current ETag (earlier rounds changed it)
                    fetch(c, on, n, null, 200);
                    known.add(c.etag);
                }
                String first = known.get(k);
                running.add(pollers.submit(() -> {
                    String etag = first;
                    try (RawHttp c = new RawHttp("127.0.0.1", on.port(), 40_000)) {
                        open.add(c);
                        while (!stop.get()) {
                            int status = c.send(RawHttp.get(on.hostPort(), "/api/v1/nodes/" + n.id() + "?wait=30", n.secret(), etag));
                            long at = System.nanoTime();
                            if (status == 200) {
                                etag = c.etag;
                                q.offer(at);
                            } else if (status != 304) {
                                throw new IllegalStateException(on.label() + " answered a long-poll " + status);
                            }
                        }
                    }
                    return null;
                }));
            }
            Future<Result> load = background == null ? null : pollers.submit(() -> background.run(loadStop));
            Thread.sleep(500); // every long-poll parked at its master before the first change (measured from the change on)
            long[] committed = new long[changes];
            long[] sent = new long[changes];
            for (int i = 0; i < changes; i++) {
                int k = i % wakeNodes;
                SlapClient writer = k % 2 == 0 ? adminA : adminB; // the other master than the node's
                long s = System.nanoTime();
                writer.request(request(k, 0, Map.of("index", Integer.toString(k * 50), "size", "small", "round", label + i)));
                long c = System.nanoTime();
                Long answered = answers.get(k).poll(35, TimeUnit.SECONDS);
                if (answered == null) {
                    throw new IllegalStateException("node" + k + "'s long-poll was not woken by change " + i);
                }
                committed[i] = Math.max(0, answered - c);
                sent[i] = answered - s;
            }
            if (load != null) {
                loadStop.set(true);
                System.out.println("  background during the wake-ups: " + load.get());
            }
            Arrays.sort(committed);
            Arrays.sort(sent);
            return String.format("| %s | %.1f / %.1f / %.1f ms | %.1f / %.1f / %.1f ms |", label,
                    pct(committed, 0.5), pct(committed, 0.99), committed[changes - 1] / 1e6,
                    pct(sent, 0.5), pct(sent, 0.99), sent[changes - 1] / 1e6);
        } finally {
            stop.set(true);
            loadStop.set(true);
            open.forEach(RawHttp::shutDown); // ends the parked long-polls (their threads see stop)
            pollers.shutdownNow();
        }
    }

    private static Process startMaster(Path dir, int port, String db) throws Exception {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String opts = System.getenv("FLEET_MASTER_OPTS");
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(Arrays.asList(opts.replace("{dir}", dir.toString()).trim().split("\\s+")));
        }
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                "org.slapgrid.cli.Main", "master", "--listen", "127.0.0.1:" + port, "--db", db, "--data-dir", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("master.log").toFile()).start();
        awaitPort(port, p, dir.resolve("master.log"));
        return p;
    }

    private static Process startNginx(Path dir, Path root, int port, List<Node> fleet) throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        StringBuilder map = new StringBuilder();
        for (Node n : fleet) {
            map.append("    \"Bearer ").append(n.secret()).append("\" ").append(n.id()).append(";\n");
        }
        // The node's secret is checked (a map of the 1,000 secrets, as the master checks its
        // cached hash) so that nginx does not do less than it must; the rest is a static file.
        String conf = """
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  keepalive_requests 10000000;
                  keepalive_timeout 120s;
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  map_hash_bucket_size 256; map_hash_max_size 65536;
                  map $http_authorization $fleet_node {
                    default "";
                %2$s  }
                  server {
                    listen 127.0.0.1:%3$d;
                    root %4$s;
                    default_type application/json;
                    location ~ ^/api/v1/nodes/([A-Za-z0-9_-]+)$ {
                      set $node $1;
                      if ($fleet_node != $node) { return 401; }
                      add_header Cache-Control no-cache;
                      rewrite ^ /docs/$node.json break;
                    }
                  }
                }
                """.formatted(dir, map, port, root);
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Path log = dir.resolve("logs/stdout.log");
        Process p = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("logs/error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitPort(port, p, log);
        return p;
    }

    private static void awaitPort(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("exited (" + p.exitValue() + "): " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100); // waiting for a process to listen: nothing to wait on but the port
            }
        }
        throw new IllegalStateException("nothing listens on " + port + " after 120 s: " + Files.readString(log));
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String machine() {
        String cpu = "?";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            // unknown
        }
        return String.format("%d cores (%s), Java %s", Runtime.getRuntime().availableProcessors(), cpu,
                System.getProperty("java.version"));
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private FleetBenchmark() {
    }
}
