package org.slapgrid.benchmarks.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.node.Node;
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;
import org.slapgrid.node.daemon.NodeDaemon;
import org.slapgrid.node.format.CurrentUserAccounts;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.format.UnixAccounts;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.software.BuildUsers;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.SupervisorLayout;
import org.slapgrid.node.supervisor.SupervisorSettings;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;

/**
 * The node's figures of design section 8, with real parts (a master over HTTP, real users as
 * root, child JVMs for buildout):
 * <ul>
 *   <li>a node run over N unchanged partitions, in process and as a whole
 *       {@code slapos node instance} process (target: under 1 s for 100);</li>
 *   <li>with the daemon running: a request to its connection parameters at the master, for a
 *       simple instance of a built release (target: under 3 s), which includes the daemon's
 *       reaction to the request.</li>
 * </ul>
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar org.slapgrid.benchmarks.node.NodeBenchmark [N] [requests] [batches, e.g. 1,10,50]}
 */
public final class NodeBenchmark {

    private static final String NODE = "bench";
    private static final String USERS = "sgbench";

    private NodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // concurrent requests, as a busy fleet sends them: each batch at once, its requests timed one by one
        List<Integer> batches = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).map(Integer::parseInt).toList()
                : List.of(1, 10, 50);
        int concurrent = batches.stream().mapToInt(Integer::intValue).sum();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path tmp = Files.createTempDirectory("node-bench");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        MasterConfig mc = MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0);
        Master master = Master.start(mc);
        Supervisor supervisor = null;
        try {
            SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(mc.adminTokenFile()).strip()).build();
            String secret = admin.registerNode(NODE, List.of()).secret();
            Path etc = Files.createDirectories(tmp.resolve("etc"));
            Files.writeString(etc.resolve("node.secret"), secret);
            Files.setPosixFilePermissions(etc.resolve("node.secret"), PosixFilePermissions.fromString("rw-------"));
            Path cfg = etc.resolve("slapos.cfg");
            Files.writeString(cfg, "[slapos]\nmaster_url = " + master.url() + "\nnode_id = " + NODE
                    + "\npartition_amount = " + (n + requests + concurrent) + "\nipv4_network = 127.77.0.0/16\ninstance_root = "
                    + tmp.resolve("srv") + "\nsoftware_root = " + tmp.resolve("opt") + "\n");
            NodeConfig config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg);
            List<Partition> partitions = new NodeFormatter(config, root ? new UnixAccounts(USERS) : new CurrentUserAccounts())
                    .format().partitions();
            SlapClient nodeClient = SlapClient.builder(master.url()).token(secret).timeout(Duration.ofSeconds(60)).build();
            nodeClient.reportFormat(NODE, partitions.stream().map(Partition::id).toList());
            supervisor = new Supervisor(SupervisorSettings.defaults(SupervisorLayout.under(config.instanceRoot()), NODE));
            NodeRuntime runtime = root ? NodeRuntime.current().readableCopy(config.stateDirectory().resolve("lib")) : NodeRuntime.current();
            BuildUsers builder = root ? BuildUsers.perRelease("sgbenchb") : BuildUsers.currentUser();
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            Node node = Node.assemble(config, nodeClient, supervisor, runtime, builder, Duration.ofSeconds(20), log::add);

            String url = writeRelease(tmp.resolve("release")).toString();
            admin.supply(url, NODE, SupplyState.AVAILABLE);
            node.software(nodeClient.nodeInfo(NODE), false);
            for (int i = 0; i < n; i++) {
                admin.request(new InstanceRequest("i" + i, url, "default", Map.of("n", i), RequestedState.STARTED, false,
                        Map.of("node", NODE)));
            }
            long t0 = System.nanoTime();
            List<PartitionOutcome> first = node.instance(nodeClient.nodeInfo(NODE), InstanceConverger.Selection.all());
            System.out.printf("first convergence of %d partitions: %.1f s (%d converged)%n", n, (System.nanoTime() - t0) / 1e9,
                    first.stream().filter(o -> o.kind() == PartitionOutcome.Kind.CONVERGED).count());

            List<Double> inProcess = new ArrayList<>();
            for (int round = 0; round < 7; round++) {
                long s = System.nanoTime();
                List<PartitionOutcome> out = node.instance(nodeClient.nodeInfo(NODE), InstanceConverger.Selection.all());
                inProcess.add((System.nanoTime() - s) / 1e6);
                if (out.stream().anyMatch(o -> o.kind() != PartitionOutcome.Kind.SKIPPED)) {
                    throw new IllegalStateException("a partition was not skipped: " + out);
                }
            }
            List<Double> whole = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                long s = System.nanoTime();
                cli(runtime, cfg, List.of());
                whole.add((System.nanoTime() - s) / 1e6);
            }
            System.out.printf("unchanged node run over %d partitions, in process (ms): %s, median %.0f%n", n, rounded(inProcess), median(inProcess));
            System.out.printf("unchanged `slapos node instance` over %d partitions, whole process, no daemon (ms): %s, median %.0f%n", n,
                    rounded(whole), median(whole));

            NodeDaemon daemon = new NodeDaemon(node, Duration.ofSeconds(30), log::add);
            Thread dt = new Thread(daemon::run, "daemon");
            dt.start();
            while (daemon.iterations() == 0) {
                Thread.sleep(50);
            }
            List<Double> toConnection = new ArrayList<>();
            List<Double> toReaction = new ArrayList<>();
            for (int r = 0; r < requests; r++) {
                long s = System.nanoTime();
                String partition = admin.request(new InstanceRequest("late" + r, url, "default", Map.of(), RequestedState.STARTED,
                        false, Map.of("node", NODE))).partition();
                // the daemon has reacted when it writes the partition's profile, its first step
                Path profile = config.stateDirectory().resolve("partitions").resolve(partition).resolve("buildout.cfg");
                while (!Files.exists(profile)) {
                    Thread.sleep(2);
                }
                toReaction.add((System.nanoTime() - s) / 1e6);
                while (admin.info("late" + r).connectionParameters().isEmpty()) {
                    Thread.sleep(10);
                }
                toConnection.add((System.nanoTime() - s) / 1e6);
            }
            List<String> batchFigures = new ArrayList<>();
            for (int k : batches) {
                List<Double> times = concurrentRequests(admin, url, "c" + k + "-", k);
                Collections.sort(times);
                batchFigures.add(String.format("%d concurrent requests -> connection parameters (ms): p50 %.0f, max %.0f%n",
                        k, median(times), times.get(times.size() - 1)));
            }
            // `slapos node instance` as bin/slapos runs it (the CLI's AppCDS archive), the daemon running:
            // the command hands its round to the warm daemon.
            Path jsa = tmp.resolve("cli.jsa");
            cli(runtime, cfg, List.of("-XX:ArchiveClassesAtExit=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            List<Double> delegated = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                long s = System.nanoTime();
                cli(runtime, cfg, List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
                delegated.add((System.nanoTime() - s) / 1e6);
            }
            daemon.stop();
            dt.join(60_000);
            System.out.printf("unchanged `slapos node instance` over %d partitions, whole process, daemon running, CLI archive (ms): %s, median %.0f%n",
                    n, rounded(delegated), median(delegated));
            System.out.printf("request -> the daemon starts converging it (ms): %s, median %.0f%n",
                    rounded(toReaction), median(toReaction));
            System.out.printf("request -> connection parameters at the master, daemon running (ms): %s, median %.0f%n",
                    rounded(toConnection), median(toConnection));
            batchFigures.forEach(System.out::print);
        } finally {
            if (supervisor != null) {
                supervisor.shutdown();
            }
            master.close();
            if (root) {
                // the release's own build user (BuildUsers: prefix and md5 digits)
                try (var users = Files.lines(Path.of("/etc/passwd"))) {
                    for (String u : users.map(l -> l.substring(0, l.indexOf(':'))).filter(u -> u.startsWith("sgbenchb")).toList()) {
                        new ProcessBuilder("userdel", u).redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                    }
                }
                for (int i = 0; i < n + requests + concurrent; i++) {
                    new ProcessBuilder("userdel", USERS + i).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                }
            }
        }
    }

    /** Sends k requests at once (one thread each); each one's time from its request to its connection parameters. */
    private static List<Double> concurrentRequests(SlapClient admin, String url, String prefix, int k) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(k);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Double>> all = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                String name = prefix + j;
                all.add(pool.submit(() -> {
                    start.await();
                    long s = System.nanoTime();
                    admin.request(new InstanceRequest(name, url, "default", Map.of(), RequestedState.STARTED, false,
                            Map.of("node", NODE)));
                    while (admin.info(name).connectionParameters().isEmpty()) {
                        if (System.nanoTime() - s > TimeUnit.MINUTES.toNanos(10)) {
                            throw new IllegalStateException(name + ": no connection parameters after 10 minutes");
                        }
                        Thread.sleep(20);
                    }
                    return (System.nanoTime() - s) / 1e6;
                }));
            }
            start.countDown();
            List<Double> out = new ArrayList<>();
            for (var f : all) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs `slapos node instance --config cfg` in a new JVM with the given JVM options. */
    private static void cli(NodeRuntime runtime, Path cfg, List<String> jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(runtime.java().toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.slapgrid.cli.Main", "node", "instance",
                "--config", cfg.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("slapos node instance failed: exit " + p.exitValue());
        }
    }

    /** A release whose instances do nothing but publish: what is measured is the node itself. */
    static Path writeRelease(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("software.cfg"), "[buildout]\nparts = instance-profile\n\n[instance-profile]\n"
                + "recipe = slapos.recipe.template:jinja2\nurl = ${:_profile_base_location_}/instance.cfg.in\n"
                + "output = ${buildout:directory}/instance.cfg\n");
        Files.writeString(dir.resolve("instance.cfg.in"), "[buildout]\nparts = publish\n\n[slap-configuration]\n"
                + "recipe = slapos.cookbook:slapconfiguration\n\n[publish]\nrecipe = slapos.cookbook:publish\n"
                + "address = ${slap-configuration:ipv4-random}\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("software.cfg");
    }

    static List<Long> rounded(List<Double> v) {
        return v.stream().map(Math::round).toList();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
