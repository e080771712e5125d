package org.slapgrid.master;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slapgrid.master.api.ChangeNotifier;
import org.slapgrid.master.api.ClusterRoutes;
import org.slapgrid.master.api.ComplianceRoutes;
import org.slapgrid.master.compliance.ComplianceService;
import org.slapgrid.master.api.JobRoutes;
import org.slapgrid.master.cluster.ClusterService;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.api.MasterApi;
import org.slapgrid.master.api.MetricRoutes;
import org.slapgrid.master.autoscale.Autoscaler;
import org.slapgrid.master.autoscale.PolicyService;
import org.slapgrid.master.metrics.MetricService;
import org.slapgrid.master.metrics.MetricStore;
import org.slapgrid.master.service.AccountService;
import org.slapgrid.master.service.ChangeFeed;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.CredentialStore;
import org.slapgrid.master.service.InstanceService;
import org.slapgrid.master.service.Limits;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.master.service.Retention;
import org.slapgrid.master.service.Schedule;
import org.slapgrid.master.cluster.PrimaryWatch;
import org.slapgrid.master.service.WebViews;
import org.slapgrid.master.ui.ClusterPages;
import org.slapgrid.master.ui.UiRoutes;
import org.slapgrid.master.store.Database;

/**
 * A running master: database (migrated), services and the HTTP server. On the first start
 * against an empty database it creates the admin's API token and writes it, mode 0600, to
 * {@code <dataDir>/admin-token}.
 */
public final class Master implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Master.class);
    /** How often overdue jobs are failed and operations waiting for jobs move on (a job's end moves them at once). */
    static final Duration CLUSTER_TICK = Duration.ofSeconds(2);
    /** How often members' hooked actions are stepped (stages, lifecycle timeouts; woken too when a hook's job ends). */
    static final Duration SCALING_TICK = Duration.ofMillis(250);
    private final MasterConfig config;
    private final Database db;
    private final Javalin app;
    private final MasterApi api;
    private final UiRoutes ui;
    private final CredentialStore credentials;
    private final Optional<Path> createdAdminToken;
    /** Every periodic duty of this master (ticks, scaling, autoscaler, retention, primary watch, metric writer). */
    private final Schedule schedule;
    /** Changes committed by other masters on the same PostgreSQL database; null on SQLite. */
    private final ChangeFeed feed;
    private final MetricService metrics;
    private final Autoscaler autoscaler;
    private final ClusterService clusters;

    private Master(MasterConfig config, Database db, Javalin app, MasterApi api, UiRoutes ui, CredentialStore credentials,
                   Optional<Path> createdAdminToken, Schedule schedule, ChangeFeed feed,
                   MetricService metrics, Autoscaler autoscaler, ClusterService clusters) {
        this.metrics = metrics;
        this.autoscaler = autoscaler;
        this.clusters = clusters;
        this.schedule = schedule;
        this.feed = feed;
        this.ui = ui;
        this.config = config;
        this.db = db;
        this.app = app;
        this.api = api;
        this.credentials = credentials;
        this.createdAdminToken = createdAdminToken;
    }

    /** Whether this master hears the changes other masters commit (PostgreSQL's LISTEN is up). */
    public boolean listensToOtherMasters() {
        return feed != null && feed.listening();
    }

    public static Master start(MasterConfig config) {
        Database db = Database.open(config.effectiveDbUrl());
        ChangeFeed feed = null;
        Autoscaler autoscaler = null;
        Schedule schedule = new Schedule();
        try {
            CredentialStore credentials = new CredentialStore(db);
            Optional<Path> adminToken = bootstrapAdmin(config, credentials);
            ChangeNotifier notifier = new ChangeNotifier();
            Limits limits = config.limits();
            UiRoutes[] ui = new UiRoutes[1];
            // Long-polls and the web UI's live pages both hear of each committed change.
            ChangeListener listener = ids -> {
                notifier.changed(ids);
                ui[0].listener().changed(ids);
            };
            NodeService nodeService = new NodeService(db, listener, limits).withContactInterval(config.contactInterval());
            InstanceService instanceService = new InstanceService(db, listener, limits);
            JobService jobs = new JobService(db, listener, config.dataDir().resolve("jobs"), maxArtifactBytes());
            ClusterService clusters = new ClusterService(db, listener, instanceService, jobs, config.dataDir().resolve("backups"),
                    config.webhookAllow());
            MetricService metrics = new MetricService(db, instanceService, new MetricStore()).start(schedule);
            autoscaler = new Autoscaler(db, metrics, clusters, clusters.eventLog()::append, config.autoscaleInterval());
            PolicyService policies = new PolicyService(db, autoscaler);
            ui[0] = new UiRoutes(nodeService, instanceService, new ClusterPages(clusters, instanceService, metrics, policies),
                    credentials, new WebViews(db));
            instanceService.onStatusReport(ui[0].statusListener());
            // Changes committed through other masters on the same PostgreSQL (their NOTIFY): the
            // same listeners, and the node's cached document is dropped.
            feed = ChangeFeed.start(db, changed -> {
                nodeService.forget(changed);
                listener.changed(changed);
            }, () -> {
                nodeService.forgetAll();
                notifier.wakeAll();
            });
            clusters.startTicking(schedule, CLUSTER_TICK);
            int resumed = clusters.resumeInterrupted(); // a task a stopped master left set never stays busy
            if (resumed > 0) {
                LOG.info("resumed or ended the operations of {} clusters", resumed);
            }
            clusters.startScaling(schedule, SCALING_TICK); // hooked actions: stages, lifecycle timeouts
            MasterApi api = new MasterApi(nodeService, instanceService, new AccountService(db, limits), credentials, notifier,
                    config.recheckInterval(), config.authCacheTtl(), config.maxBodyBytes());
            Javalin app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.startup.showOldJavalinVersionWarning = false; // the version is pinned in the parent POM
                c.http.maxRequestSize = config.maxBodyBytes();
                c.http.asyncTimeout = 120_000; // bounds a long-poll (at most 60 s) even if its waiter misbehaves
                c.jetty.host = config.host();
                if (config.tlsKeystore() != null) {
                    c.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig, config));
                }
                api.install(c.routes);
                new ClusterRoutes(clusters, api).install(c.routes);
                new ComplianceRoutes(new ComplianceService(db), new org.slapgrid.master.compliance.ComplianceRuns(db, listener), api).install(c.routes);
                new MetricRoutes(metrics, policies, api).install(c.routes);
                new JobRoutes(jobs, api).install(c.routes);
                ui[0].install(c.routes);
            });
            app.start(config.host(), config.port());
            autoscaler.start(schedule);
            Retention retention = new Retention(db, limits);
            schedule.nowAndEvery("retention", limits.pruneInterval(), retention::prune);
            PrimaryWatch watch = new PrimaryWatch(db, listener, org.slapgrid.master.cluster.ClusterEvents::append);
            schedule.every("primary watch", primaryWatchEvery(config.contactInterval()), watch::check);
            return new Master(config, db, app, api, ui[0], credentials, adminToken, schedule, feed,
                    metrics, autoscaler, clusters);
        } catch (RuntimeException e) {
            schedule.close();
            if (autoscaler != null) {
                autoscaler.close();
            }
            if (feed != null) {
                feed.close();
            }
            db.close();
            throw e;
        }
    }

    /**
     * The largest file a node may upload for one job (a backup part): 4 GiB, or the
     * {@code slapgrid.maxArtifactBytes} system property (docs/clusters.md).
     */
    static long maxArtifactBytes() {
        return Long.getLong("slapgrid.maxArtifactBytes", 4L << 30);
    }

    /**
     * A flex cluster's primary is handed on when its node is lost: looked at every contact
     * interval (at least 200 ms), since a node is lost after a silence longer than that.
     */
    private static Duration primaryWatchEvery(Duration contactInterval) {
        return Duration.ofMillis(Math.max(200, contactInterval.toMillis()));
    }

    private static ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig,
                                                MasterConfig config) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(config.tlsKeystore().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(new String(config.tlsPassword()));
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false); // clients reach a test master by IP, not by the certificate's name
        https.addCustomizer(src);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(config.host());
        connector.setPort(config.port());
        return connector;
    }

    /** First start: one admin token, written atomically with mode 0600 before the file is visible. */
    private static Optional<Path> bootstrapAdmin(MasterConfig config, CredentialStore credentials) {
        if (credentials.anyUser()) {
            return Optional.empty();
        }
        Path file = config.adminTokenFile();
        String token = credentials.createUserToken("admin", true);
        try {
            org.slapgrid.files.AtomicFiles.write(file, token + "\n", "rw-------");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot write the admin token to " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(file);
    }

    /** The actual port (useful with port 0). */
    public int port() {
        return app.port();
    }

    /** The web UI's address. */
    public URI uiUrl() {
        return url().resolve("ui/");
    }

    public URI url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        if ("0.0.0.0".equals(host)) {
            host = "127.0.0.1";
        }
        return URI.create((config.tlsKeystore() != null ? "https" : "http") + "://" + host + ":" + port() + "/");
    }

    /** The admin token file written by this start, if this start created it. */
    public Optional<Path> createdAdminToken() {
        return createdAdminToken;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    public Database database() {
        return db;
    }

    public MasterConfig config() {
        return config;
    }

    /** The autoscaler (tests ask which master evaluates). */
    public Autoscaler autoscaler() {
        return autoscaler;
    }

    /** The metrics this master received (the benchmark reads its size). */
    public MetricService metrics() {
        return metrics;
    }

    @Override
    public void close() {
        ui.close(); // first: its live connections end while the server still runs them
        schedule.close(); // then no duty runs: what each part closes below is no longer in use
        autoscaler.close();
        metrics.close();
        clusters.close();
        if (feed != null) {
            feed.close();
        }
        app.stop();
        api.close();
        db.close();
    }
}
