package org.slapgrid.master;

import java.nio.file.Path;
import java.time.Duration;
import org.slapgrid.master.service.Limits;

/**
 * How to run a master. {@code dataDir} holds the default SQLite file ({@code master.db}) and the
 * admin token file ({@code admin-token}); {@code dbUrl} null means that SQLite file.
 * {@code tlsKeystore} (PKCS#12) with its password turns on HTTPS; {@code limits} bounds input,
 * rates, quotas and history; {@code autoscaleInterval} is how often scaling policies are evaluated;
 * {@code contactInterval} how often a node's last contact is written, at most (a flex cluster's
 * primary is lost after a silence of its node, which must be longer).
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
        Duration contactInterval) {

    public static final int DEFAULT_PORT = 5080;

    /** 127.0.0.1:5080, SQLite under {@code dataDir}, no TLS. */
    public static MasterConfig defaults(Path dataDir) {
        return new MasterConfig(null, "127.0.0.1", DEFAULT_PORT, dataDir, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1 << 20, Limits.defaults(), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    public MasterConfig withDb(String url) {
        return new MasterConfig(url, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval);
    }

    public MasterConfig withListen(String h, int p) {
        return new MasterConfig(dbUrl, h, p, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval);
    }

    public MasterConfig withTls(Path keystore, char[] password) {
        return new MasterConfig(dbUrl, host, port, dataDir, keystore, password, recheckInterval, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval);
    }

    public MasterConfig withAuthCacheTtl(Duration ttl) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, ttl, maxBodyBytes, limits, autoscaleInterval, contactInterval);
    }

    public MasterConfig withRecheckInterval(Duration d) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, d, authCacheTtl, maxBodyBytes, limits, autoscaleInterval, contactInterval);
    }

    /** The bounds of input, rates, quotas and retention (docs/security.md). */
    public MasterConfig withLimits(Limits l) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, l, autoscaleInterval, contactInterval);
    }

    /** How often the autoscaler evaluates every scaling policy (docs/clusters.md "Autoscaling"). */
    public MasterConfig withAutoscaleInterval(Duration d) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits, d, contactInterval);
    }

    /** How often a node's last contact is written, at most (default 30 s). */
    public MasterConfig withContactInterval(Duration d) {
        return new MasterConfig(dbUrl, host, port, dataDir, tlsKeystore, tlsPassword, recheckInterval, authCacheTtl, maxBodyBytes, limits,
                autoscaleInterval, d);
    }

    public String effectiveDbUrl() {
        return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("master.db");
    }

    public Path adminTokenFile() {
        return dataDir.resolve("admin-token");
    }

    @Override
    public String toString() {
        return "MasterConfig[db=" + effectiveDbUrl().replaceAll("(?i)(password=)[^&]*", "$1***") + ", listen=" + host + ":" + port
                + ", tls=" + (tlsKeystore != null) + "]";
    }
}
