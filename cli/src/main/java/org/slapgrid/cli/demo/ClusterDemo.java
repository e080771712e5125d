package org.slapgrid.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Main;
import org.slapgrid.cli.console.ClusterCommand;
import org.slapgrid.files.AtomicFiles;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.SoftwareState;

/**
 * {@code slapos demo --nodes 2 --cluster}: a 3-member MariaDB cluster ({@code mariadb-cluster},
 * failover, GTID replication) over the demo's nodes. Its passwords are generated once into
 * {@code DIR/etc/cluster-demo-db.secrets} (0600); a second run finds the cluster and reuses it.
 * Prints the primary's URL, proves it with a real query, then the cluster's status.
 */
final class ClusterDemo {

    static final String RELEASE = "mariadb-cluster";
    static final String NAME = "demo-db";
    private static final int MEMBERS = 3;

    private final DemoCommand demo;
    private final DemoPlace place;
    private final DemoCommand.Progress progress;

    ClusterDemo(DemoCommand demo, DemoPlace place, DemoCommand.Progress progress) {
        this.demo = demo;
        this.place = place;
        this.progress = progress;
    }

    int run(SlapClient admin, List<DemoNode> fleet, long start) throws IOException, InterruptedException {
        String url = place.copyRelease(RELEASE).toString();
        ClusterInfo cluster = existing(admin);
        if (cluster == null) {
            progress.step("Creating cluster " + NAME + ": " + MEMBERS + " MariaDB members over " + fleet.size() + " nodes");
            Map<String, String> secrets = secrets();
            cluster = admin.createCluster(new ClusterRequest(NAME, url, ClusterTopology.FAILOVER,
                    Map.of("password", secrets.get("password"), "replication-password", secrets.get("replication-password")),
                    List.of(new ClusterRole("db", "default", Map.of(), MEMBERS, 2, 2 * DemoNode.MAX))));
            cluster.notes().forEach(progress::info);
        } else {
            progress.step("Cluster " + NAME + " exists: reusing it");
        }
        ClusterInfo ready = waitForMembers(admin, url, fleet);
        if (ready == null) {
            return ExitCode.FAILURE;
        }
        ClusterMember primary = ready.members().stream().filter(m -> m.name().equals(ready.primary())).findFirst().orElseThrow();
        String primaryUrl = String.valueOf(primary.connectionParameters().get("url"));
        boolean proven = false;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!proven && System.nanoTime() < deadline) {
            proven = MysqlProof.query(URI.create(primaryUrl), new DemoCommand.Progress(true));
            if (!proven) {
                progress.spin("waiting for the primary to answer");
                Thread.sleep(500);
            }
        }
        progress.done();
        System.out.printf("%nCluster %s is %s (%.1f s). The primary, %s on node %s:%n  url = %s%n", NAME,
                proven ? "ready" : "NOT answering", (System.nanoTime() - start) / 1e9, primary.name(), primary.node(), primaryUrl);
        for (ClusterMember m : ready.members()) {
            if (!m.name().equals(ready.primary())) {
                System.out.println("  replica " + m.name() + " on node " + m.node() + ": " + m.connectionParameters().get("url"));
            }
        }
        System.out.println();
        MysqlProof.query(URI.create(primaryUrl), progress);
        System.out.println();
        List<String> status = new java.util.ArrayList<>(List.of("cluster", hasStatusVerb() ? "status" : "show", NAME));
        status.addAll(consoleArgs());
        Main.run(status.toArray(String[]::new));
        System.out.println();
        demo.printWebUi(place);
        String options = demo.consoleOptions(place);
        System.out.println("Explore:");
        System.out.println("  bin/slapos cluster show" + options + " " + NAME + "        members, nodes, addresses");
        System.out.println("  bin/slapos cluster grow" + options + " " + NAME + " --role db     a 4th member, catching up from the primary");
        System.out.println("  bin/slapos cluster promote" + options + " " + NAME + " db.1 --force   make db.1 the primary");
        for (DemoNode n : fleet) {
            System.out.println("  bin/slapos node status --config " + n.config());
        }
        System.out.println("Stop it all:  " + demo.demoCommand(place) + " --stop");
        return proven ? ExitCode.OK : ExitCode.FAILURE;
    }

    private List<String> consoleArgs() {
        String options = demo.consoleOptions(place).strip();
        return options.isEmpty() ? List.of() : List.of(options.split(" "));
    }

    /** `slapos cluster status` (the status tree) when this version has it, else `show`. */
    private static boolean hasStatusVerb() {
        return new picocli.CommandLine(new ClusterCommand()).getSubcommands().containsKey("status");
    }

    private static ClusterInfo existing(SlapClient admin) {
        try {
            return admin.cluster(NAME);
        } catch (SlapException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The cluster's passwords: generated on the first run, kept 0600 beside the first node's configuration. */
    private Map<String, String> secrets() throws IOException {
        Path file = place.directory().resolve("etc/cluster-" + NAME + ".secrets");
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            }
        }
        if (p.getProperty("password") == null || p.getProperty("replication-password") == null) {
            p.setProperty("password", random());
            p.setProperty("replication-password", random());
            AtomicFiles.write(file, "password=" + p.getProperty("password") + "\nreplication-password="
                    + p.getProperty("replication-password") + "\n", "rw-------");
        }
        return Map.of("password", p.getProperty("password"), "replication-password", p.getProperty("replication-password"));
    }

    private static String random() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private ClusterInfo waitForMembers(SlapClient admin, String url, List<DemoNode> fleet) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (System.nanoTime() < deadline) {
            ClusterInfo c = admin.cluster(NAME);
            long started = c.members().stream().filter(m -> m.reportedState() == InstanceState.STARTED
                    && m.connectionParameters() != null && m.connectionParameters().containsKey("url")).count();
            if (started == c.members().size() && !c.members().isEmpty()) {
                progress.done();
                return c;
            }
            for (DemoNode n : fleet) {
                if (demo.softwareState(n, url) == SoftwareState.ERROR) {
                    progress.done();
                    System.err.println("slapos demo: the release failed to build on " + n.id() + "; see "
                            + place.directory().resolve(n.daemon() + ".log"));
                    return null;
                }
            }
            progress.spin(started + " of " + c.members().size() + " members started");
            Thread.sleep(500);
        }
        progress.done();
        System.err.println("slapos demo: the cluster's members did not all start within 15 minutes; see the daemons' logs in "
                + place.directory());
        return null;
    }
}
