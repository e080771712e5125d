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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slapos master}: runs the master in the foreground until interrupted. */
@Command(name = MasterCommand.NAME, mixinStandardHelpOptions = true,
        description = {MasterCommand.SUMMARY,
                "On the first start it creates an admin API token in DATA_DIR/admin-token (mode 0600)."})
public final class MasterCommand implements Callable<Integer> {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "master";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Run the master: the HTTP API for nodes, instances and users (docs/protocol.md).";

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB?user=U&password=P (default: SQLite DATA_DIR/master.db)")
    String db;

    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "file holding the database password (keeps it out of the command line)")
    Path dbPasswordFile;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + MasterConfig.DEFAULT_PORT,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "default database and admin token (default: ~/.slapos/master)")
    Path dataDir;

    @Option(names = "--tls-keystore", paramLabel = "FILE.p12", description = "serve HTTPS with this PKCS#12 keystore")
    Path tlsKeystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "file holding the keystore password")
    Path tlsPasswordFile;

    @Option(names = "--partition-quota", paramLabel = "N", description = "partitions a user may hold unless the admin"
            + " set its own quota (default: ${DEFAULT-VALUE}; admins have none)", defaultValue = "100")
    long partitionQuota;

    @Option(names = "--bangs-kept", paramLabel = "N", description = "newest bangs kept per instance (default: ${DEFAULT-VALUE})",
            defaultValue = "50")
    int bangsKept;

    @Option(names = "--bang-retention-days", paramLabel = "DAYS", description = "bangs older than this are dropped"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "30")
    int bangDays;

    @Option(names = "--audit-rows-kept", paramLabel = "N", description = "newest audit rows kept (default: ${DEFAULT-VALUE})",
            defaultValue = "200000")
    long auditRows;

    @Option(names = "--audit-retention-days", paramLabel = "DAYS", description = "audit rows older than this are dropped"
            + " (default: ${DEFAULT-VALUE})", defaultValue = "90")
    int auditDays;

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
        System.out.println("slapos master: listening on " + master.url() + " (database " + redact(config.effectiveDbUrl()) + ")");
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
        MasterConfig config = MasterConfig.defaults(dir).withListen(host, port);
        if (partitionQuota < 0 || bangsKept < 1 || bangDays < 1 || auditRows < 1 || auditDays < 1) {
            throw new IllegalArgumentException("--partition-quota must be 0 or more; --bangs-kept, --bang-retention-days,"
                    + " --audit-rows-kept and --audit-retention-days at least 1");
        }
        config = config.withLimits(config.limits().withDefaultPartitionQuota(partitionQuota)
                .withRetention(bangsKept, Duration.ofDays(bangDays), auditRows, Duration.ofDays(auditDays)));
        if (autoscaleSeconds < 1 || autoscaleSeconds > 3600) {
            throw new IllegalArgumentException("--autoscale-interval must be 1 to 3600 seconds (got " + autoscaleSeconds + ")");
        }
        config = config.withAutoscaleInterval(Duration.ofSeconds(autoscaleSeconds));
        if (contactSeconds < 1 || contactSeconds > 300) {
            throw new IllegalArgumentException("--contact-interval must be 1 to 300 seconds (got " + contactSeconds + ")");
        }
        config = config.withContactInterval(Duration.ofSeconds(contactSeconds));
        java.util.List<org.slapgrid.master.cluster.Cidr> allow = new java.util.ArrayList<>();
        for (String cidr : webhookAllow) {
            try {
                allow.add(org.slapgrid.master.cluster.Cidr.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--webhook-allow: " + e.getMessage());
            }
        }
        config = config.withWebhookAllow(allow);
        if (db != null) {
            if (!db.startsWith("jdbc:sqlite:") && !db.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--db must be a jdbc:sqlite: or jdbc:postgresql: URL");
            }
            String url = db;
            if (dbPasswordFile != null) {
                try {
                    String pw = Files.readString(dbPasswordFile, StandardCharsets.UTF_8).strip();
                    url += (url.contains("?") ? "&" : "?") + "password=" + java.net.URLEncoder.encode(pw, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException("--db-password-file: cannot read " + dbPasswordFile + ": " + e.getMessage());
                }
            }
            config = config.withDb(url);
        } else if (dbPasswordFile != null) {
            throw new IllegalArgumentException("--db-password-file needs --db");
        }
        if ((tlsKeystore == null) != (tlsPasswordFile == null)) {
            throw new IllegalArgumentException("--tls-keystore and --tls-password-file go together");
        }
        if (tlsKeystore != null) {
            if (!Files.isReadable(tlsKeystore)) {
                throw new IllegalArgumentException("--tls-keystore: cannot read " + tlsKeystore);
            }
            try {
                config = config.withTls(tlsKeystore, Files.readString(tlsPasswordFile, StandardCharsets.UTF_8).strip().toCharArray());
            } catch (IOException e) {
                throw new IllegalArgumentException("--tls-password-file: cannot read " + tlsPasswordFile + ": " + e.getMessage());
            }
        }
        return config;
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
