package org.slapgrid.cli.demo;

import java.io.IOException;
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
import java.util.concurrent.Callable;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Main;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SupplyState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slapos demo}: the whole product on one machine, in one command. Installs what is
 * missing (as root, with apt), starts a master (the console's defaults: 127.0.0.1:5080 and
 * ~/.slapos/master) and a node daemon in the background, registers and formats the node,
 * supplies a release from this repository, requests an instance, waits for its connection
 * parameters, proves they work, and shows the node's status. A second run reuses all of it.
 */
@Command(name = DemoCommand.NAME, mixinStandardHelpOptions = true,
        description = {DemoCommand.SUMMARY,
                "supervisord, a software release built and an instance deployed from it; then print its",
                "connection parameters and how to explore. Run it again to reuse everything; --stop stops it."})
public final class DemoCommand implements Callable<Integer> {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "demo";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Set up and run the whole product on this machine: a master, a node daemon under";

    static final int PORT = 5080;
    static final String NODE_ID = "demo";

    @Option(names = "--port", defaultValue = "5080", paramLabel = "PORT", description = "The master's port on 127.0.0.1"
            + " (default: ${DEFAULT-VALUE}, where the console looks; another port keeps the master's data in DIR/master).")
    int port;

    @Option(names = "--nodes", defaultValue = "1", paramLabel = "N", description = "How many nodes on this machine"
            + " (1 to 4; default ${DEFAULT-VALUE}): demo, demo-2, ... each with its own address range and partition users.")
    int nodes;

    @Option(names = "--cluster", description = "Deploy a 3-member replicated MariaDB cluster (software-releases/mariadb-cluster)"
            + " over the nodes instead of one instance; needs --nodes 2 or more.")
    boolean cluster;

    @Option(names = "--release", paramLabel = "NAME", description = "The release of software-releases/ to deploy"
            + " (default: mariadb when present, else hello).")
    String release;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the demo node lives (default: /srv/slapgrid-demo as root,"
            + " ~/.slapos/demo otherwise).")
    Path dir;

    @Option(names = "--stop", description = "Stop the demo: its node daemon, its services and its master.")
    boolean stop;

    @Option(names = "--reset", description = "Stop the demo and delete its node directory and the master's data"
            + " (~/.slapos/master), to start from scratch.")
    boolean reset;

    private final Progress progress = new Progress();

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > DemoNode.MAX) {
            System.err.println("slapos demo: --nodes: from 1 to " + DemoNode.MAX + ", got " + nodes);
            return ExitCode.USAGE;
        }
        if (cluster && nodes < 2) {
            System.err.println("slapos demo: --cluster spreads its members over several nodes: give --nodes 2 (or more)");
            return ExitCode.USAGE;
        }
        DemoPlace place = DemoPlace.resolve(dir, port);
        if (stop || reset) {
            int status = stopAll(place);
            if (reset) {
                for (Path p : List.of(place.directory(), place.masterData())) {
                    AtomicFiles.deleteTree(p);
                    System.out.println("Deleted " + p);
                }
            }
            return status;
        }
        String name = cluster ? ClusterDemo.RELEASE : release != null ? release
                : Files.isRegularFile(place.repository().resolve("software-releases/mariadb/software.cfg")) ? "mariadb" : "hello";
        if (!Files.isRegularFile(place.repository().resolve("software-releases").resolve(name).resolve("software.cfg"))) {
            System.err.println("slapos demo: no release '" + name + "' in " + place.repository().resolve("software-releases"));
            return ExitCode.USAGE;
        }
        long start = System.nanoTime();

        progress.step("Checking system packages");
        if (!SystemPackages.ensure(name, progress)) {
            return ExitCode.FAILURE;
        }

        progress.step("Starting the master on 127.0.0.1:" + port);
        BackgroundProcesses processes = new BackgroundProcesses(place.directory(), NodeRuntime.current());
        SlapClient admin = ensureMaster(place, processes);
        if (admin == null) {
            return ExitCode.FAILURE;
        }

        List<DemoNode> fleet = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            DemoNode node = DemoNode.of(place.directory(), k);
            progress.step("Registering and formatting node '" + node.id() + "'");
            if (!ensureNode(place, node)) {
                return ExitCode.FAILURE;
            }
            progress.step("Starting the node daemon of '" + node.id() + "'");
            processes.ensure(node.daemon(), List.of("node", "daemon", "--config", node.config().toString(), "--poll-wait", "10"));
            fleet.add(node);
        }
        if (cluster) {
            return new ClusterDemo(this, place, progress).run(admin, fleet, start);
        }

        String url = place.copyRelease(name).toString();
        progress.step("Supplying " + name + " and requesting instance demo-" + name);
        admin.supply(url, NODE_ID, SupplyState.AVAILABLE);
        Instance requested = existing(admin, "demo-" + name);
        if (requested == null) {
            requested = admin.request(new InstanceRequest("demo-" + name, url, "default", Map.of(), RequestedState.STARTED,
                    false, Map.of("node", NODE_ID)));
        } else {
            // Reused as it is: requesting again would reset the parameters the user changed since.
            progress.info("instance demo-" + name + " exists: reusing it with its parameters");
        }

        Instance ready = waitForConnection(admin, url, requested.name(), place, fleet.get(0));
        if (ready == null) {
            return ExitCode.FAILURE;
        }
        // The master may still hold connection parameters from before a --stop: the instance is
        // ready only when they really work, so the check is retried until then.
        boolean proven = false;
        long proofDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Progress quiet = new Progress(true);
        while (!proven && System.nanoTime() < proofDeadline) {
            proven = Proof.check(name, admin.info(ready.name()).connectionParameters(), quiet);
            if (!proven) {
                progress.spin("waiting for the instance to answer");
                Thread.sleep(500);
            }
        }
        progress.done();
        ready = admin.info(ready.name());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nInstance %s is %s (%.1f s). Connection parameters:%n", ready.name(),
                proven ? "ready" : "NOT answering", seconds);
        ready.connectionParameters().forEach((k, v) -> System.out.println("  " + k + " = " + v));
        System.out.println();
        Proof.check(name, ready.connectionParameters(), progress);
        if (!proven) {
            System.err.println("slapos demo: the instance does not answer; see " + place.directory().resolve("daemon.log"));
        }

        System.out.println();
        Main.run("node", "status", "--config", place.nodeConfig().toString());
        printTour(place, name);
        return proven ? ExitCode.OK : ExitCode.FAILURE;
    }

    SlapClient ensureMaster(DemoPlace place, BackgroundProcesses processes) throws IOException, InterruptedException {
        Path tokenFile = place.adminToken();
        if (!answers(tokenFile)) {
            processes.ensure("master", List.of("master", "--listen", "127.0.0.1:" + port, "--data-dir", place.masterData().toString()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!answers(tokenFile)) {
                if (System.nanoTime() > deadline || !processes.alive("master")) {
                    System.err.println("slapos demo: the master did not start; its log: " + processes.log("master"));
                    System.err.println(processes.tail("master"));
                    return null;
                }
                Thread.sleep(200);
            }
        }
        return clientOf(tokenFile);
    }

    private boolean answers(Path tokenFile) {
        if (!Files.isRegularFile(tokenFile)) {
            return false;
        }
        try {
            clientOf(tokenFile).list();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    String masterUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** A client of the demo's master with the admin's token or a node's secret: what {@code file} holds. */
    SlapClient clientOf(Path file) throws IOException {
        return SlapClient.builder(URI.create(masterUrl())).token(Files.readString(file).strip()).timeout(Duration.ofSeconds(20)).build();
    }

    private boolean ensureNode(DemoPlace place, DemoNode node) throws IOException {
        Path cfg = node.config();
        boolean registered = Files.isRegularFile(cfg) && nodeAnswers(node);
        if (!registered) {
            List<String> args = new ArrayList<>(List.of("node", "register", "--config", cfg.toString(),
                    "--master", masterUrl(), "--node-id", node.id(), "--partitions", "4",
                    "--token-file", place.adminToken().toString(),
                    "--instance-root", node.instanceRoot().toString(),
                    "--software-root", node.directory().resolve("opt").toString(),
                    "--ipv4-network", node.network(), "--force"));
            if (node.userBaseName() != null) {
                args.addAll(List.of("--user-base-name", node.userBaseName()));
            }
            if (Main.run(args.toArray(String[]::new)) != 0) {
                System.err.println("slapos demo: if node '" + node.id() + "' is registered but its secret in " + node.directory()
                        + " is gone, start over with: bin/slapos demo --reset");
                return false;
            }
        }
        return Main.run("node", "format", "--config", cfg.toString()) == 0;
    }

    /** True when the node's secret is still valid at this master (it may have been recreated). */
    private boolean nodeAnswers(DemoNode node) {
        try {
            clientOf(node.secret()).nodeInfo(node.id());
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Instance waitForConnection(SlapClient admin, String url, String name, DemoPlace place, DemoNode node) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        boolean sawBuild = false; // an error reported before this run's build attempt is stale: the daemon retries
        while (System.nanoTime() < deadline) {
            Instance i = admin.info(name);
            if (i.connectionParameters() != null && !i.connectionParameters().isEmpty()
                    && i.reportedState() == InstanceState.STARTED) {
                progress.done();
                return i;
            }
            var supply = softwareState(node, url);
            sawBuild |= supply == SoftwareState.BUILDING || supply == SoftwareState.AVAILABLE;
            if (supply == SoftwareState.ERROR && sawBuild) {
                progress.done();
                System.err.println("slapos demo: the release failed to build; see " + place.directory().resolve("daemon.log"));
                return null;
            }
            String what = supply != SoftwareState.AVAILABLE ? "building the release"
                    : i.reportedState() == InstanceState.ERROR ? "converging (last run: error, retrying)"
                    : "deploying the instance";
            progress.spin(what);
            Thread.sleep(250);
        }
        progress.done();
        System.err.println("slapos demo: no connection parameters after 15 minutes; see " + place.directory().resolve("daemon.log"));
        return null;
    }

    /** The user's instance of that name, or null when there is none (or it is being destroyed). */
    private static Instance existing(SlapClient admin, String name) {
        return admin.list().stream()
                .filter(i -> i.name().equals(name) && i.requestedState() != RequestedState.DESTROYED)
                .findFirst().orElse(null);
    }

    /** The release's state as the node reported it (read with the node's secret of this demo place). */
    SoftwareState softwareState(DemoNode node, String url) {
        try {
            return clientOf(node.secret()).nodeInfo(node.id()).software().stream().filter(s -> s.url().equals(url))
                    .map(s -> s.reportedState()).findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void printTour(DemoPlace place, String name) {
        String cfg = place.nodeConfig().toString();
        System.out.println();
        printWebUi(place);
        System.out.println("Explore:");
        System.out.println("  bin/slapos list" + consoleOptions(place) + "       your instances");
        System.out.println("  bin/slapos info" + consoleOptions(place) + " demo-" + name + "   parameters and connection parameters");
        System.out.println("  bin/slapos console" + consoleOptions(place) + "    an interactive shell: supply, request, remove, list, info");
        System.out.println("  bin/slapos request demo-" + name + " <release> --param key=value    change a parameter");
        System.out.println("  bin/slapos node status --config " + cfg);
        System.out.println("  tail -f " + place.directory().resolve("daemon.log"));
        System.out.println("Stop it all:  " + demoCommand(place) + " --stop        (run it again to restart; it reuses everything)");
    }

    /** The console options that reach this demo's master: none on the default port. */
    String consoleOptions(DemoPlace place) {
        return port == PORT ? "" : " --master-url " + masterUrl() + " --token-file " + place.adminToken();
    }

    /** How to run this demo again. */
    String demoCommand(DemoPlace place) {
        return "bin/slapos demo" + (dir == null ? "" : " --dir " + place.directory()) + (port == PORT ? "" : " --port " + port)
                + (nodes == 1 ? "" : " --nodes " + nodes) + (cluster ? " --cluster" : "");
    }

    void printWebUi(DemoPlace place) {
        System.out.println("Web UI:  " + masterUrl() + "ui/");
        Path tokenFile = place.adminToken();
        try {
            // A link that works once and soon, rather than the admin's token on the screen.
            var link = clientOf(tokenFile).createLoginLink();
            System.out.println("Log in:  " + link.url());
            System.out.println("         (works once, within 10 minutes; a new one: bin/slapos token login-link"
                    + consoleOptions(place) + ";");
            System.out.println("          or log in with the admin's API token in " + tokenFile + ")");
        } catch (IOException | RuntimeException e) {
            System.out.println("         log in with the admin's API token in " + tokenFile);
        }
    }

    private int stopAll(DemoPlace place) throws Exception {
        BackgroundProcesses processes = new BackgroundProcesses(place.directory(), NodeRuntime.current());
        for (int k = 1; k <= DemoNode.MAX; k++) {
            DemoNode node = DemoNode.of(place.directory(), k);
            if (k > 1 && !Files.isDirectory(node.directory())) {
                continue;
            }
            progress.step("Stopping the node daemon of '" + node.id() + "'");
            processes.stop(node.daemon());
            progress.step("Stopping the services of '" + node.id() + "' (supervisord)");
            if (Files.isDirectory(node.instanceRoot())) {
                org.slapgrid.node.Node.supervisorOf(node.instanceRoot(), node.id()).shutdown();
            }
        }
        progress.step("Stopping the master");
        processes.stop("master");
        System.out.println("Stopped. Data is kept in " + place.directory() + " and " + place.masterData() + ".");
        return ExitCode.OK;
    }

    /** Step lines and a spinner on standard error. */
    static final class Progress {
        private static final char[] SPIN = {'|', '/', '-', '\\'};
        private final boolean silent;
        private int tick;
        private boolean spinning;

        Progress() {
            this(false);
        }

        /** A silent progress prints nothing: for checks that are retried. */
        Progress(boolean silent) {
            this.silent = silent;
        }

        void step(String what) {
            done();
            System.out.println("==> " + what);
        }

        void spin(String what) {
            spinning = true;
            System.err.print("\r    " + SPIN[tick++ % SPIN.length] + " " + what + "...                    ");
            System.err.flush();
        }

        void done() {
            if (spinning) {
                System.err.print("\r" + " ".repeat(70) + "\r");
                spinning = false;
            }
        }

        void info(String line) {
            if (silent) {
                return;
            }
            done();
            System.out.println("    " + line);
        }
    }

    /** Shows that the connection parameters work, with a real client. */
    static final class Proof {
        private Proof() {
        }

        static boolean check(String release, Map<String, Object> connection, Progress progress) {
            Object url = connection.get("url");
            if (url == null) {
                progress.info("(no url published: nothing to check)");
                return true;
            }
            String u = url.toString();
            try {
                if (u.startsWith("http")) {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(u))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    progress.info("GET " + u + " -> " + r.statusCode() + ": " + r.body().strip());
                    return r.statusCode() == 200;
                }
                if (u.startsWith("mysql://")) {
                    return MysqlProof.query(URI.create(u), progress);
                }
            } catch (IOException | RuntimeException e) {
                progress.info("could not use " + u + ": " + e.getMessage());
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            progress.info("(" + u + ": no check for this kind of URL)");
            return true;
        }
    }
}
