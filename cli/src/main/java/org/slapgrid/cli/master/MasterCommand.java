package org.slapgrid.cli.master;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slapos master}: runs the master in the foreground until interrupted. The options of the
 * database, of TLS and of the limits are mixins that each turn theirs into the configuration.
 */
@Command(name = MasterCommand.NAME, mixinStandardHelpOptions = true,
        description = {MasterCommand.SUMMARY,
                "On the first start it creates an admin API token in DATA_DIR/admin-token (mode 0600)."})
public final class MasterCommand implements Callable<Integer> {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "master";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Run the master: the HTTP API for nodes, instances and users (docs/protocol.md).";

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + MasterConfig.DEFAULT_PORT,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "default database and admin token (default: ~/.slapos/master)")
    Path dataDir;

    @Mixin
    DatabaseOptions database;

    @Mixin
    TlsOptions tls;

    @Mixin
    LimitsOptions limits;

    @Option(names = "--autoscale-interval", paramLabel = "SECONDS", description = "how often the clusters' scaling"
            + " policies are evaluated (default: ${DEFAULT-VALUE})", defaultValue = "5")
    int autoscaleSeconds;

    @Option(names = "--contact-interval", paramLabel = "SECONDS", description = "how often a node's last contact is"
            + " written, at most; a flex cluster's primary is handed on after its node's silence (primaryLostAfter),"
            + " which must be longer (default: ${DEFAULT-VALUE})", defaultValue = "30")
    int contactSeconds;

    @Option(names = "--webhook-allow", paramLabel = "CIDR", description = "an internal address range (127.0.0.1/32,"
            + " 10.0.0.0/8, fd00::/8) lifecycle webhooks may reach anyway; repeatable. Without it, a webhook whose host"
            + " resolves to a loopback, link-local, private, multicast or unspecified address is refused")
    java.util.List<String> webhookAllow = new java.util.ArrayList<>();

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Master running;

    /** The running master, once started (null before). */
    public Master running() {
        return running;
    }

    /** Stops the master and lets {@link #call()} return (what Ctrl-C does). */
    public void stop() {
        stop.countDown();
    }

    @Override
    public Integer call() {
        MasterConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            System.err.println("slapos master: " + e.getMessage());
            return ExitCode.USAGE;
        }
        Master master;
        try {
            master = Master.start(config);
        } catch (RuntimeException e) {
            System.err.println("slapos master: cannot start: " + e.getMessage());
            return ExitCode.FAILURE;
        }
        running = master;
        // On Ctrl-C / SIGTERM: ask the main thread to stop, and hold the JVM until the master is closed.
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "slapos-master-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("slapos master: listening on " + master.url() + " (database " + Database.redact(config.effectiveDbUrl()) + ")");
        master.createdAdminToken().ifPresentOrElse(
                f -> System.out.println("slapos master: created the admin API token in " + f + " (mode 0600)"),
                () -> System.out.println("slapos master: admin API token in " + config.adminTokenFile() + " (if you kept it there)"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            master.close();
            closed.countDown();
            System.out.println("slapos master: stopped");
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        return ExitCode.OK;
    }

    MasterConfig config() {
        Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".slapos", "master");
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, not '" + listen + "'");
        }
        String host = listen.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen: '" + listen.substring(colon + 1) + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen: port " + port + " is out of range");
        }
        MasterConfig config = limits.applyTo(MasterConfig.defaults(dir).withListen(host, port))
                .withAutoscaleInterval(seconds("--autoscale-interval", autoscaleSeconds, 3600))
                .withContactInterval(seconds("--contact-interval", contactSeconds, 300));
        java.util.List<org.slapgrid.master.cluster.Cidr> allow = new java.util.ArrayList<>();
        for (String cidr : webhookAllow) {
            try {
                allow.add(org.slapgrid.master.cluster.Cidr.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-allow: " + e.getMessage());
            }
        }
        return tls.applyTo(database.applyTo(config.withWebhookAllow(allow)));
    }

    /** An interval option, 1 to {@code max} seconds. */
    private static Duration seconds(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(option + " must be 1 to " + max + " seconds (got " + value + ")");
        }
        return Duration.ofSeconds(value);
    }

    /** The password held in {@code file} (the value of {@code option}), without its surrounding white space. */
    static String secret(String option, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }
}
