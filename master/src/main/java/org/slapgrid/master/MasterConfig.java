package org.slapgrid.master;

import java.nio.file.Path;
import java.time.Duration;
import org.slapgrid.master.service.Limits;
import org.slapgrid.master.store.Database;

/**
 * How to run a master. {@code dataDir} holds the default SQLite file ({@code master.db}) and the
 * admin token file ({@code admin-token}); {@code dbUrl} null means that SQLite file.
 * {@code tlsKeystore} (PKCS#12) with its password turns on HTTPS; {@code limits} bounds input,
 * rates, quotas and history; {@code autoscaleInterval} is how often scaling policies are evaluated;
 * {@code contactInterval} how often a node's last contact is written, at most (a flex cluster's
 * primary is lost after a silence of its node, which must be longer); {@code webhookAllow} the
 * internal address ranges lifecycle webhooks may reach anyway (docs/security.md "Webhooks").
 */
public record MasterConfig(
        String dbUrl,
        String host,
        int port,
        Path dataDir,
        Path tlsKeystore,
        char[] tlsPassword,
        Duration recheckInterval,
        Duration authCacheTtl,
        long maxBodyBytes,
        Limits limits,
        Duration autoscaleInterval,
        Duration contactInterval,
        java.util.List<org.slapgrid.master.cluster.Cidr> webhookAllow) {

    public static final int DEFAULT_PORT = 5080;

    /** 127.0.0.1:5080, SQLite under {@code dataDir}, no TLS. */
    public static MasterConfig defaults(Path dataDir) {
        return new MasterConfig(null, "127.0.0.1", DEFAULT_PORT, dataDir, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1 << 20, Limits.defaults(), Duration.ofSeconds(5),
                Duration.ofSeconds(30), java.util.List.of());
    }

    public MasterConfig withDb(String url) {
        return new MasterConfig(url, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval, webhookAllow);
    }

    public MasterConfig withListen(String h, int p) {
        return new MasterConfig(dbUrl, h, p, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval, webhookAllow);
    }

    public MasterConfig withTls(Path keystore, char[] password) {
        return new MasterConfig(dbUrl, host, port, dataDir, keystore, password, recheckInterval, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval, webhookAllow);
    }

    public MasterConfig withAuthCacheTtl(Duration ttl) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, ttl, maxBodyBytes, limits, autoscaleInterval, contactInterval, webhookAllow);
    }

    public MasterConfig withRecheckInterval(Duration d) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, d, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval, webhookAllow);
    }

    /** The bounds of input, rates, quotas and retention (docs/security.md). */
    public MasterConfig withLimits(Limits l) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, l, autoscaleInterval, contactInterval, webhookAllow);
    }

    /** How often the autoscaler evaluates every scaling policy (docs/clusters.md "Autoscaling"). */
    public MasterConfig withAutoscaleInterval(Duration d) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits, d, contactInterval, webhookAllow);
    }

    /** How often a node's last contact is written, at most (default 30 s). */
    public MasterConfig withContactInterval(Duration d) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits,
                autoscaleInterval, d, webhookAllow);
    }

    /**
     * The internal address ranges lifecycle webhooks may reach anyway ({@code --webhook-allow};
     * none by default: loopback, link-local, private, multicast and unspecified are refused).
     */
    public MasterConfig withWebhookAllow(java.util.List<org.slapgrid.master.cluster.Cidr> allow) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits,
                autoscaleInterval, contactInterval, java.util.List.copyOf(allow));
    }

    public String effectiveDbUrl() {
        return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("master.db");
    }

    public Path adminTokenFile() {
        return dataDir.resolve("admin-token");
    }

    @Override
    public String toString() {
        return "MasterConfig[db=" + Database.redact(effectiveDbUrl()) + ", listen=" + host + ":" + port
                + ", tls=" + (tlsKeystore != null) + "]";
    }
}
