package org.slapgrid.benchmarks.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigLoader;
import org.slapgrid.node.config.NodeLayout;
import org.slapgrid.node.daemon.ControlSocket;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.format.UnixAccounts;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;

/**
 * The node at fleet scale (issue 18): N unchanged partitions (1,000 by default), as root with real
 * partition users, a master on 127.0.0.1 over HTTP. Figures:
 * <ul>
 *   <li>the unchanged round in process ({@code Node.instance()}, 7 rounds);</li>
 *   <li>the unchanged {@code slapos node instance} whole process, with {@code slapos node daemon}
 *       running in its own JVM and the command started as {@code bin/slapos} starts it (its JVM
 *       flags for short commands and the CLI's AppCDS archive made by {@code ClassDataTraining}):
 *       the command hands its round to the warm daemon through the control socket; the first run
 *       apart, then the median of the rest, wall and CPU time of the command, and the daemon's CPU
 *       time per round;</li>
 *   <li>the daemon's RSS ({@code VmRSS} and {@code VmHWM} of {@code /proc/PID/status}).</li>
 * </ul>
 * The first convergence runs a buildout child JVM per partition (minutes at 1,000 on two cores),
 * so the prepared node (master database, node state, partitions, users) is kept in the directory
 * and reused by the next run; only the unchanged rounds are measured, never a faked one.
 * {@code --cp} gives the classpath of the daemon and of the command (e.g. another build's jar, to
 * measure two builds alternately on one prepared node); {@code --cleanup} removes the node
 * (users, directory) and exits.
 * <p>
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar org.slapgrid.benchmarks.node.NodeScaleBenchmark
 * [--partitions 1000] [--runs 7] [--dir /var/tmp/slapgrid-node-bench-1k] [--port 21000] [--cp CLASSPATH]
 * [--no-in-process] [--daemon-jvm "OPTIONS"] [--hold SECONDS] [--cleanup]}
 */
public final class NodeScaleBenchmark {

    private static final String NODE = "bench1k";
    /** Partition users sgk0..sgkN-1, release build users sgks*. */
    private static final String USERS = "sgk";

    private NodeScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1000;
        int runs = 7;
        Path dir = Path.of("/var/tmp/slapgrid-node-bench-1k");
        int port = 21000;
        String cp = System.getProperty("java.class.path");
        boolean inProcess = true;
        boolean cleanup = false;
        int hold = 0;
        List<String> daemonJvm = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--partitions" -> n = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--cp" -> cp = args[++i];
                case "--no-in-process" -> inProcess = false;
                case "--cleanup" -> cleanup = true;
                case "--hold" -> hold = Integer.parseInt(args[++i]);
                case "--daemon-jvm" -> daemonJvm = List.of(args[++i].trim().split("\\s+"));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("run as root: the node has real partition users");
        }
        if (cleanup) {
            cleanup(dir);
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        MasterConfig mc = MasterConfig.defaults(dir.resolve("master")).withListen("127.0.0.1", port);
        Master master = Master.start(mc);
        Process daemon = null;
        NodeConfig config = null;
        try {
            SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(mc.adminTokenFile()).strip()).build();
            Path cfg = dir.resolve("etc").resolve("slapos.cfg");
            Path prepared = dir.resolve("prepared");
            if (!Files.exists(prepared) || Integer.parseInt(Files.readString(prepared).strip()) != n) {
                config = prepare(dir, cfg, admin, master, n);
                Files.writeString(prepared, n + "\n");
            } else {
                config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg);
                // idempotent: re-creates what is missing (e.g. users removed by hand), changes nothing else
                new NodeFormatter(config, new UnixAccounts(config.userBaseName())).format();
                System.out.printf("reusing the node prepared in %s (%d partitions)%n", dir, n);
            }
            if (inProcess) {
                Node node = Node.open(config, line -> { });
                SlapClient client = Node.masterClient(config);
                List<Double> rounds = new ArrayList<>();
                for (int round = 0; round < 7; round++) {
                    long s = System.nanoTime();
                    List<PartitionOutcome> out = node.instance(client.nodeInfo(NODE), InstanceConverger.Selection.all());
                    rounds.add((System.nanoTime() - s) / 1e6);
                    requireSkipped(out, n);
                }
                System.out.printf("unchanged round over %d partitions, in process (ms): %s, median %.0f (%.2f ms per partition)%n",
                        n, NodeBenchmark.rounded(rounds), NodeBenchmark.median(rounds), NodeBenchmark.median(rounds) / n);
            }

            // the CLI's class-data archive, made as bin/slapos makes it (its training run)
            Path jsa = dir.resolve("cli.jsa");
            Files.deleteIfExists(jsa);
            run(List.of(java(), "-XX:ArchiveClassesAtExit=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp, "org.slapgrid.cli.ClassDataTraining"), null);

            Path socket = ControlSocket.pathFor(config);
            Files.deleteIfExists(socket);
            // `slapos node daemon` as bin/slapos starts it: a long-running command, the JVM's defaults
            List<String> daemonCommand = new ArrayList<>(List.of(java()));
            daemonCommand.addAll(daemonJvm);
            daemonCommand.addAll(List.of("-cp", cp, "org.slapgrid.cli.Main", "node", "daemon", "--config", cfg.toString()));
            System.out.printf("daemon JVM options: %s%n", daemonJvm.isEmpty() ? "none (the JVM's defaults, as bin/slapos)" : daemonJvm);
            Process started = daemon = new ProcessBuilder(daemonCommand)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
            NodeConfig stopped = config;
            // a SIGTERM to the benchmark (--hold) must not leave the daemon and its supervisord behind
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.destroy();
                try {
                    // the daemon's own SIGTERM hook waits up to 30 s for its main thread
                    if (!started.waitFor(40, TimeUnit.SECONDS)) {
                        started.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    started.destroyForcibly();
                }
                Node.supervisorOf(stopped).shutdown();
            }));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.exists(socket)) {
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the daemon did not open its control socket; see " + dir.resolve("daemon.log"));
                }
                Thread.sleep(50);
            }
            System.out.printf("daemon pid %d; after start: %s%n", daemon.pid(), memory(daemon.pid()));
            List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", java(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmn4m",
                    "-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    "-cp", cp, "org.slapgrid.cli.Main", "node", "instance", "--config", cfg.toString()));
            List<Double> wall = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> daemonCpu = new ArrayList<>();
            List<Double> peak = new ArrayList<>();
            for (int r = 0; r <= runs; r++) {
                long d0 = cpuMillis(daemon.pid());
                long s = System.nanoTime();
                String[] time = run(command, dir.resolve("instance.out")).split(" ");
                double ms = (System.nanoTime() - s) / 1e6;
                long d1 = cpuMillis(daemon.pid());
                String out = Files.readString(dir.resolve("instance.out"));
                long skipped = out.lines().filter(l -> l.matches("\\S+: skipped.*")).count();
                if (skipped != n) {
                    // a round that did anything but skip is not an unchanged round
                    throw new IllegalStateException("the round skipped " + skipped + " of " + n + " partitions: "
                            + out.lines().filter(l -> !l.matches("\\S+: skipped.*")).limit(5).toList());
                }
                double commandCpu = (Double.parseDouble(time[1]) + Double.parseDouble(time[2])) * 1000;
                if (r == 0) {
                    System.out.printf("first `slapos node instance` after the daemon's start: %.0f ms wall, %.0f ms CPU, daemon %d ms CPU%n",
                            ms, commandCpu, d1 - d0);
                    continue;
                }
                wall.add(ms);
                cpu.add(commandCpu);
                daemonCpu.add((double) (d1 - d0));
                peak.add(Double.parseDouble(time[3]) / 1024);
            }
            System.out.printf("unchanged `slapos node instance` over %d partitions, whole process, daemon running, CLI archive:%n"
                    + "  wall (ms) %s, median %.0f (%.2f ms per partition)%n  command CPU (ms) %s, median %.0f; daemon CPU per round (ms) %s, median %.0f;"
                    + " command peak RSS median %.0f MiB%n",
                    n, NodeBenchmark.rounded(wall), NodeBenchmark.median(wall), NodeBenchmark.median(wall) / n, NodeBenchmark.rounded(cpu), NodeBenchmark.median(cpu), NodeBenchmark.rounded(daemonCpu), NodeBenchmark.median(daemonCpu),
                    NodeBenchmark.median(peak));
            System.out.printf("daemon after the runs: %s%n", memory(daemon.pid()));
            if (hold > 0) {
                // to run the command by hand (profiling) against the same master and daemon
                System.out.printf("holding the master and the daemon for %d s: %s%n", hold, String.join(" ", command));
                Thread.sleep(hold * 1000L);
            }
        } finally {
            if (daemon != null) {
                daemon.destroy();
                if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor();
                }
            }
            if (config != null) {
                Node.supervisorOf(config).shutdown();
            }
            master.close();
        }
    }

    /** Registers and formats the node, builds the release, requests n instances and converges them once. */
    private static NodeConfig prepare(Path dir, Path cfg, SlapClient admin, Master master, int n) throws Exception {
        String secret = admin.registerNode(NODE, List.of()).secret();
        Path etc = Files.createDirectories(cfg.getParent());
        Files.writeString(etc.resolve("node.secret"), secret);
        Files.setPosixFilePermissions(etc.resolve("node.secret"), PosixFilePermissions.fromString("rw-------"));
        // parallelism 4: the first convergence's buildout children wait on I/O and the master part of the time
        Files.writeString(cfg, "[slapos]\nmaster_url = " + master.url() + "\nnode_id = " + NODE + "\ncredentials_file = "
                + etc.resolve("node.secret") + "\npartition_amount = " + n + "\nipv4_network = 127.78.0.0/16\ninstance_root = "
                + dir.resolve("srv") + "\nsoftware_root = " + dir.resolve("opt") + "\nparallelism = 4\nuser_base_name = " + USERS + "\n");
        NodeConfig config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg);
        long t0 = System.nanoTime();
        List<Partition> partitions = new NodeFormatter(config, new UnixAccounts(config.userBaseName())).format().partitions();
        Node.masterClient(config).reportFormat(NODE, partitions.stream().map(Partition::id).toList());
        System.out.printf("format of %d partitions (users, directories): %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        Node node = Node.open(config, line -> { });
        SlapClient client = Node.masterClient(config);
        String url = NodeBenchmark.writeRelease(dir.resolve("release")).toString();
        admin.supply(url, NODE, SupplyState.AVAILABLE);
        node.software(client.nodeInfo(NODE), false);
        for (int i = 0; i < n; i++) {
            admin.request(new InstanceRequest("i" + i, url, "default", Map.of("n", i), RequestedState.STARTED, false,
                    Map.of("node", NODE)));
        }
        t0 = System.nanoTime();
        List<PartitionOutcome> first = node.instance(client.nodeInfo(NODE), InstanceConverger.Selection.all());
        double s = (System.nanoTime() - t0) / 1e9;
        long converged = first.stream().filter(o -> o.kind() == PartitionOutcome.Kind.CONVERGED).count();
        System.out.printf("first convergence of %d partitions: %.1f s (%d converged, %.0f ms per partition)%n", n, s, converged,
                s * 1000 / n);
        if (converged != n) {
            throw new IllegalStateException("not every partition converged: "
                    + first.stream().filter(o -> o.kind() != PartitionOutcome.Kind.CONVERGED).limit(5).toList());
        }
        return config;
    }

    private static void requireSkipped(List<PartitionOutcome> out, int n) {
        long skipped = out.stream().filter(o -> o.kind() == PartitionOutcome.Kind.SKIPPED).count();
        if (skipped != n) {
            throw new IllegalStateException("an unchanged round did not skip every partition: "
                    + out.stream().filter(o -> o.kind() != PartitionOutcome.Kind.SKIPPED).limit(5).toList());
        }
    }

    /** Removes the prepared node: its supervisord, partition and build users, directory. */
    private static void cleanup(Path dir) throws Exception {
        Path cfg = dir.resolve("etc").resolve("slapos.cfg");
        if (Files.exists(cfg)) {
            Node.supervisorOf(new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg)).shutdown();
        }
        int removed = 0;
        if (Files.exists(cfg)) {
            // exactly this node's users: its partitions' and its releases' build users (prefix and md5 digits)
            NodeConfig config = new NodeConfigLoader(NodeLayout.forCurrentUser()).load(cfg);
            String base = config.userBaseName();
            String builders = config.buildUserPrefix();
            int amount = config.partitionCount();
            try (var lines = Files.lines(Path.of("/etc/passwd"))) {
                for (String u : lines.map(l -> l.substring(0, l.indexOf(':'))).filter(u -> isPartitionUser(u, base, amount)
                        || u.startsWith(builders) && u.substring(builders.length()).matches("[0-9a-f]+")).toList()) {
                    run(List.of("userdel", u), null);
                    removed++;
                }
            }
        }
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        System.out.printf("removed %d users and %s%n", removed, dir);
    }

    private static boolean isPartitionUser(String user, String base, int amount) {
        return user.startsWith(base) && user.substring(base.length()).matches("[0-9]{1,4}")
                && Integer.parseInt(user.substring(base.length())) < amount;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a command to its end; its last output line (or the output file's) is returned. */
    private static String run(List<String> cmd, Path output) throws IOException, InterruptedException {
        Path err = Files.createTempFile("bench", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.redirectOutput(output != null ? ProcessBuilder.Redirect.to(output.toFile()) : ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + ": timed out");
            }
            List<String> lines = Files.readAllLines(err);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd + ": exit " + p.exitValue() + ": " + String.join("\n", lines));
            }
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static String memory(long pid) throws IOException {
        String rss = "?";
        String hwm = "?";
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                rss = l.substring(6).strip();
            } else if (l.startsWith("VmHWM:")) {
                hwm = l.substring(6).strip();
            }
        }
        return "VmRSS " + mib(rss) + ", VmHWM " + mib(hwm);
    }

    private static String mib(String kb) {
        return kb.endsWith(" kB") ? Math.round(Long.parseLong(kb.substring(0, kb.length() - 3).strip()) / 1024.0) + " MiB" : kb;
    }

    /** utime + stime of a process, from /proc/PID/stat (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }
}
