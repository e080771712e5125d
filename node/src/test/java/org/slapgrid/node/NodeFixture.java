package org.slapgrid.node;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
import org.slapgrid.node.buildout.NodeRuntime;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.format.CurrentUserAccounts;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.format.UnixAccounts;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.limits.AddressGuard;
import org.slapgrid.node.software.BuildUsers;
import org.slapgrid.node.software.SoftwareInstaller;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.node.supervisor.SupervisorLayout;
import org.slapgrid.node.supervisor.SupervisorSettings;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * A whole node for tests, with real parts: a master on 127.0.0.1 (SQLite in the temp dir), a
 * node registered with it and formatted (as root: real users {@code <prefix>N}), a real
 * supervisord, the software installer and the instance converger. Close it to stop
 * supervisord and its programs, the master, and to delete the test users.
 *
 * <pre>
 * try (NodeFixture n = NodeFixture.start(tmp, "node-x", "sgx", 2)) {
 *     n.supplyAndBuild(releaseDir.resolve("software.cfg").toString());
 *     n.admin().request(n.request("db", url, Map.of()));
 *     n.convergeUntilSettled();
 * }
 * </pre>
 */
public final class NodeFixture implements AutoCloseable {

    public static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final String nodeId;
    private final String userPrefix;
    private final int partitionCount;
    private final Master master;
    private final SlapClient admin;
    private final SlapClient node;
    private final NodeConfig config;
    private final Supervisor supervisor;
    private final List<Partition> partitions;
    private final SoftwareInstaller software;
    private final InstanceConverger converger;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Node assembled;
    private final String secret;
    private final Path tmp;
    private final Path supervisorRoot;
    private final NodeRuntime runtime;
    private final BuildUsers builders;
    /** False for a node that joined another fixture's master: that fixture stops it. */
    private final boolean ownsMaster;

    private NodeFixture(Path tmp, String nodeId, String userPrefix, int partitionCount,
                        java.util.function.UnaryOperator<NodeConfig> configure, NodeFixture joined,
                        java.util.function.UnaryOperator<MasterConfig> configureMaster) throws Exception {
        this.nodeId = nodeId;
        this.userPrefix = userPrefix;
        this.partitionCount = partitionCount;
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        ownsMaster = joined == null;
        if (ownsMaster) {
            MasterConfig mc = MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0)
                    .withAuthCacheTtl(Duration.ZERO).withRecheckInterval(Duration.ofMillis(200));
            mc = configureMaster.apply(mc);
            master = Master.start(mc);
            admin = SlapClient.builder(master.url()).token(Files.readString(mc.adminTokenFile()).strip())
                    .timeout(Duration.ofSeconds(20)).build();
        } else {
            master = joined.master;
            admin = joined.admin;
        }
        var credentials = admin.registerNode(nodeId, List.of());
        this.secret = credentials.secret();
        this.tmp = tmp;
        node = SlapClient.builder(master.url()).token(credentials.secret()).timeout(Duration.ofSeconds(20)).build();
        NodeConfig base = new NodeConfig(null, master.url().toString(), nodeId, tmp.resolve("node.secret"), tmp.resolve("opt"),
                tmp.resolve("srv"), partitionCount,
                uniqueNetwork(joined == null ? null : joined.config.ipv4Network()), Duration.ofDays(1), Duration.ofMinutes(10), 2, ROOT)
                .withUserBaseName(userPrefix);
        config = configure.apply(base);
        supervisorRoot = tmp.resolve("srv"); // the instance root, as Node.open lays it out
        supervisor = new Supervisor(SupervisorSettings.defaults(SupervisorLayout.under(supervisorRoot), nodeId));
        var accounts = ROOT ? new UnixAccounts(userPrefix) : new CurrentUserAccounts();
        partitions = new NodeFormatter(config, accounts).format().partitions();
        if (ROOT) {
            new AddressGuard(nodeId).apply(partitions); // as `slapos node format` does
        }
        node.reportFormat(nodeId, partitions.stream().map(Partition::id).toList(), NodeFormatter.addresses(partitions));
        runtime = ROOT ? NodeRuntime.current().readableCopy(config.stateDirectory().resolve("lib"))
                : NodeRuntime.current();
        // as root, a build user per release, named after this fixture's users so that close() finds them
        builders = ROOT ? BuildUsers.perRelease(buildUserPrefix(userPrefix)) : BuildUsers.currentUser();
        assembled = Node.assemble(config, node, supervisor, runtime, builders, Duration.ofSeconds(10), log::add);
        software = assembled.softwareInstaller();
        converger = assembled.converger();
    }

    /**
     * A loopback network of its own for each fixture (127.100.0.0/16 to 127.249.0.0/16), so that
     * a test node never meets the servers of another node on this machine (a demo, another test).
     */
    private static String uniqueNetwork(String other) {
        String network;
        do {
            network = "127." + (100 + java.util.concurrent.ThreadLocalRandom.current().nextInt(150)) + ".0.0/16";
        } while (network.equals(other));
        return network;
    }

    /** The build users' prefix of a fixture: its users' prefix and 'b', at most 8 characters. */
    private static String buildUserPrefix(String userPrefix) {
        String p = (userPrefix.length() > 7 ? userPrefix.substring(0, 7) : userPrefix) + "b";
        return p.toLowerCase(java.util.Locale.ROOT);
    }

    /** Starts a master and a node of {@code partitionCount} partitions; {@code userPrefix} names the test users. */
    public static NodeFixture start(Path tmp, String nodeId, String userPrefix, int partitionCount) throws Exception {
        return new NodeFixture(tmp, nodeId, userPrefix, partitionCount, c -> c, null, m -> m);
    }

    /**
     * Another node on {@code first}'s master (a fleet: several nodes on one machine), with its
     * own directory, users, address range and supervisord. Close it before {@code first}.
     */
    public static NodeFixture join(Path tmp, NodeFixture first, String nodeId, String userPrefix, int partitionCount) throws Exception {
        return new NodeFixture(tmp, nodeId, userPrefix, partitionCount, c -> c, first, m -> m);
    }

    /** The same, with the configuration changed first (limits, say: {@code c -> c.withLimits(...)}). */
    public static NodeFixture start(Path tmp, String nodeId, String userPrefix, int partitionCount,
                                    java.util.function.UnaryOperator<NodeConfig> configure) throws Exception {
        return new NodeFixture(tmp, nodeId, userPrefix, partitionCount, configure, null, m -> m);
    }

    /** The same, with the master's configuration changed too (the autoscaler's interval, say). */
    public static NodeFixture start(Path tmp, String nodeId, String userPrefix, int partitionCount,
                                    java.util.function.UnaryOperator<NodeConfig> configure,
                                    java.util.function.UnaryOperator<MasterConfig> configureMaster) throws Exception {
        return new NodeFixture(tmp, nodeId, userPrefix, partitionCount, configure, null, configureMaster);
    }

    public String nodeId() { return nodeId; }
    public Master master() { return master; }
    /** The admin user's client (supply, request, info, remove). */
    public SlapClient admin() { return admin; }
    /** The node's client. */
    public SlapClient node() { return node; }
    public NodeConfig config() { return config; }
    public Supervisor supervisor() { return supervisor; }
    public List<Partition> partitions() { return partitions; }
    public SoftwareInstaller software() { return software; }
    public InstanceConverger converger() { return converger; }
    /** The node as its commands and daemon see it (crash watching, bangs). */
    public Node assembled() { return assembled; }
    /** Where the node logs (a daemon of a test logs there too). */
    public java.util.function.Consumer<String> logger() { return log::add; }
    /** What the node logged, for assertion messages. */
    public String log() { synchronized (log) { return String.join("\n", log); } }

    /** The bangs the master received for an instance, oldest first (read from its store). */
    public List<String> bangs(String instanceId) throws java.sql.SQLException {
        try (java.sql.Connection c = master.database().dataSource().getConnection();
             java.sql.PreparedStatement s = c.prepareStatement("SELECT message FROM bang WHERE instance_id = ? ORDER BY at")) {
            s.setString(1, instanceId);
            List<String> out = new ArrayList<>();
            try (java.sql.ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        }
    }

    public Partition partition(String id) {
        return partitions.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * Writes this node's slapos.cfg and secret (mode 0600), as `slapos node register` does, so
     * that a separate process (a daemon) can open the same node.
     */
    public Path writeConfigFile() throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("etc"));
        Path secretFile = etc.resolve("node.secret");
        Files.writeString(secretFile, secret);
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        Path cfg = etc.resolve("slapos.cfg");
        Files.writeString(cfg, "[slapos]\nmaster_url = " + config.masterUrl() + "\nnode_id = " + nodeId
                + "\ncredentials_file = " + secretFile + "\nsoftware_root = " + config.softwareRoot()
                + "\ninstance_root = " + config.instanceRoot() + "\npartition_amount = " + partitionCount
                + "\nipv4_network = " + config.ipv4Network() + "\nuser_base_name = " + config.userBaseName() + "\n");
        return cfg;
    }

    /**
     * Starts this node's daemon in a JVM of its own ({@link org.slapgrid.node.daemon.DaemonChild},
     * as `slapos node daemon --config FILE` runs it), its output to {@code log}; the caller
     * destroys the process. Several nodes on one master each get their own daemon this way.
     */
    public Process startDaemon(Path log) throws IOException {
        Path cfg = writeConfigFile();
        NodeRuntime rt = NodeRuntime.current();
        Process p = new ProcessBuilder(rt.java().toString(), "-cp", rt.classpathString(),
                org.slapgrid.node.daemon.DaemonChild.class.getName(), cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        daemons.add(p);
        return p;
    }

    /**
     * The daemon JVMs this fixture started: {@link #close()} stops them before it shuts supervisord
     * down. A try-with-resources closes the fixture before its {@code finally} runs, so a test's own
     * {@link #stopDaemons} came too late: a daemon still alive revived the supervisord just shut
     * down, and that one outlived the test.
     */
    private final List<Process> daemons = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Stops daemons started by {@link #startDaemon}: SIGKILL, then waits for each to be gone, so
     * that none is still there to revive supervisord (its crash watcher does when supervisord stops
     * answering) once the fixture has shut it down.
     */
    public static void stopDaemons(List<Process> daemons) throws InterruptedException {
        for (Process p : daemons) {
            p.destroyForcibly();
        }
        for (Process p : daemons) {
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Kills a supervisord on this node's configuration that is still there after {@link #close()}'s
     * shutdown, with whatever it runs, and says so: it would outlive the test (its directory deleted).
     * A daemon's close waits for its workers, so this finds none unless something outlived its daemon.
     */
    private void killRevivedSupervisord() {
        // supervisord daemonises (its first process forks the one that stays, then exits): one look
        // at the process table can see the first and miss the second, so look until none is seen
        // for half a second
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .during(Duration.ofMillis(500)).until(() -> killSupervisordOnConfig() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.err.println("NodeFixture " + nodeId + ": a supervisord is still started on its configuration after 20 s");
        }
    }

    private int killSupervisordOnConfig() {
        String conf = SupervisorLayout.under(supervisorRoot).configFile().toString();
        List<ProcessHandle> found = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains("supervisord") && c.contains(conf)).orElse(false))
                .toList();
        for (ProcessHandle h : found) {
            System.err.println("NodeFixture " + nodeId + ": a supervisord (pid " + h.pid() + ") runs on " + conf
                    + " after the shutdown: killed");
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
        return found.size();
    }

    /** The last {@code lines} lines of each of {@code logs} that exists, for assertion messages. */
    public static String tails(int lines, Path... logs) {
        StringBuilder out = new StringBuilder();
        for (Path p : logs) {
            try {
                if (Files.isRegularFile(p)) {
                    List<String> all = Files.readAllLines(p);
                    out.append(p.getFileName()).append(":\n")
                            .append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()))).append('\n');
                }
            } catch (IOException e) {
                out.append(p).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** The node as a restarted daemon sees it: new objects on the same files, supervisord and master. */
    public record Restarted(Node node) implements AutoCloseable {
        @Override
        public void close() {
            // nothing of its own to stop: supervisord and its programs belong to the fixture
        }
    }

    /** Another node on the same files, supervisord and master, whose promises may take {@code promiseTimeout}. */
    public Node assemble(Duration promiseTimeout) {
        return Node.assemble(config, node, supervisor, runtime, builders, promiseTimeout, log::add);
    }

    /**
     * Another node on the same files and supervisord whose every call to the master (its own
     * and its buildouts') goes to {@code masterUrl} (a test's counting proxy) with the node's secret.
     */
    public Node assembleThrough(java.net.URI masterUrl, Duration promiseTimeout) {
        NodeConfig through = new NodeConfig(config.file(), masterUrl.toString(), config.nodeId(), config.credentialsFile(),
                config.softwareRoot(), config.instanceRoot(), config.partitionCount(), config.ipv4Network(), config.periodicity(),
                config.partitionTimeout(), config.parallelism(), config.multiUser());
        SlapClient client = SlapClient.builder(masterUrl).token(secret).timeout(Duration.ofSeconds(40)).build();
        return Node.assemble(through, client, supervisor, runtime, builders, promiseTimeout, log::add);
    }

    /**
     * This node's daemon, in a thread of the test (as {@code slapos node daemon} runs it: long-polls
     * of at most {@code pollWait}, every partition looked at again every 30 s, a failing one retried
     * after 1 s to 1 min, promises given 20 s). Close it to stop the daemon: the node is then lost
     * for the master (no more contact), its services go on under supervisord.
     */
    public RunningDaemon runDaemon(Duration pollWait) {
        org.slapgrid.node.daemon.NodeDaemon daemon = new org.slapgrid.node.daemon.NodeDaemon(assemble(Duration.ofSeconds(20)),
                pollWait, Duration.ofSeconds(30),
                org.slapgrid.node.daemon.Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(1)), log::add);
        Thread thread = new Thread(daemon::run, "daemon-" + nodeId);
        thread.start();
        return new RunningDaemon(daemon, thread);
    }

    /**
     * A daemon started by {@link #runDaemon}. {@link #close()} returns once its thread ended, and
     * its run ends only after every worker it started did (reconciles, crash watcher, timers), so
     * nothing of it can start supervisord again after the fixture's shutdown.
     */
    public record RunningDaemon(org.slapgrid.node.daemon.NodeDaemon daemon, Thread thread) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            daemon.stop();
            // a reconcile may use its grace (20 s) and the queue 10 s more: a generous bound on a loaded machine
            thread.join(180_000);
            if (thread.isAlive()) {
                AssertionError e = new AssertionError("the daemon " + thread.getName() + " did not stop within 180 s");
                e.setStackTrace(thread.getStackTrace());
                throw e;
            }
        }
    }

    /** The release directory's software.cfg, written with {@code software} and the {@code instance.cfg.in} it renders. */
    public static String writeRelease(Path dir, String software, String instanceProfile) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("software.cfg"), software + "\n[instance-profile]\nrecipe = slapos.recipe.template:jinja2\n"
                + "url = ${:_profile_base_location_}/instance.cfg.in\noutput = ${buildout:directory}/instance.cfg\n");
        Files.writeString(dir.resolve("instance.cfg.in"), instanceProfile);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("software.cfg").toString();
    }

    public Restarted restartNode() {
        Supervisor fresh = new Supervisor(SupervisorSettings.defaults(SupervisorLayout.under(supervisorRoot), nodeId));
        return new Restarted(Node.assemble(config, node, fresh, runtime, builders, Duration.ofSeconds(10), log::add));
    }

    /** Supplies the release to this node and builds it. */
    public void supplyAndBuild(String url) {
        admin.supply(url, nodeId, org.slapgrid.slap.model.SupplyState.AVAILABLE);
        software.install(node.nodeInfo(nodeId).software(), false);
    }

    /** A started, non-shared request placed on this node. */
    public InstanceRequest request(String name, String url, Map<String, Object> parameters) {
        return new InstanceRequest(name, url, "default", parameters, RequestedState.STARTED, false, Map.of("node", nodeId));
    }

    /** One node instance run over every partition. */
    public List<PartitionOutcome> converge() {
        return converger.converge(node.nodeInfo(nodeId), partitions, InstanceConverger.Selection.all());
    }

    /**
     * Runs the node until every instance is converged (or skipped as unchanged) with its
     * promises kept: services may need a few seconds to come up.
     */
    public void convergeUntilSettled(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<PartitionOutcome> outcomes = converge();
            org.assertj.core.api.Assertions.assertThat(outcomes).as(log()).extracting(PartitionOutcome::kind)
                    .allSatisfy(k -> org.assertj.core.api.Assertions.assertThat(k)
                            .isIn(PartitionOutcome.Kind.CONVERGED, PartitionOutcome.Kind.SKIPPED, PartitionOutcome.Kind.DESTROYED));
        });
    }

    /** The build users this fixture's node created (one per release built), ended and deleted. */
    private void deleteBuildUsers() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String name = line.substring(0, Math.max(0, line.indexOf(':')));
            // the fixture's, and those of a daemon of the test on this node's configuration
            if ((name.startsWith(builders.prefix()) || name.startsWith(config.buildUserPrefix())) && name.length() == 32) {
                try {
                    org.slapgrid.node.exec.UserProcesses.endAll(name, new org.slapgrid.node.exec.PartitionExecutor());
                    new ProcessExecutor().command("userdel", name).timeout(30, TimeUnit.SECONDS).execute();
                } catch (Exception e) {
                    // best effort: a leftover test user is harmless
                }
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopDaemons(daemons);
            supervisor.shutdown();
            killRevivedSupervisord();
        } finally {
            // the cgroups and nftables table live in the kernel, not in the temp dir: each is
            // released even when the other cannot be (a table left behind outlives the test)
            try {
                assembled.limits().cgroups().releaseAll();
            } catch (IOException e) {
                System.err.println("NodeFixture: cannot release the node's cgroups: " + e.getMessage());
            }
            try {
                if (ROOT) {
                    assembled.addresses().remove();
                }
            } catch (IOException e) {
                System.err.println("NodeFixture: cannot remove the node's address rules: " + e.getMessage());
            }
            if (ownsMaster) {
                master.close();
            }
            if (ROOT) {
                deleteBuildUsers();
                for (int i = 0; i < partitionCount; i++) {
                    try {
                        new ProcessExecutor().command("userdel", userPrefix + i).timeout(30, TimeUnit.SECONDS).execute();
                    } catch (Exception e) {
                        // best effort: a leftover test user is harmless
                    }
                }
            }
        }
    }
}
