package org.slapgrid.node.config;

import java.nio.file.Path;
import java.time.Duration;

import org.slapgrid.node.limits.LimitsConfig;

/**
 * A node's configuration, read from {@code slapos.cfg} (see {@link NodeConfigLoader}).
 *
 * @param file              where it was read from (null when built in code)
 * @param masterUrl         the master's base URL
 * @param nodeId            this node's id at the master
 * @param credentialsFile   the node's secret (mode 0600), written by {@code slapos node register}
 * @param softwareRoot      where releases are built, one directory per md5 of the URL
 * @param instanceRoot      where partitions live; also holds {@code etc/} and {@code var/} of the node
 * @param partitionCount    how many partitions {@code slapos node format} creates
 * @param ipv4Network       the loopback network partitions take their address from (CIDR)
 * @param periodicity       how often an unchanged partition is re-converged anyway
 * @param partitionTimeout  the longest one partition's convergence may take
 * @param parallelism       how many partitions converge at once
 * @param multiUser         true when running as root: one Unix user per partition
 * @param limits            per-partition limits (memory, processes, CPU, disk quota) and the node's cgroup
 * @param userBaseName      the partition users' name prefix (SlapOS's {@code user_base_name}): partition N
 *                          runs as {@code <userBaseName>N}; several nodes on one machine each need their own
 */
public record NodeConfig(
        Path file,
        String masterUrl,
        String nodeId,
        Path credentialsFile,
        Path softwareRoot,
        Path instanceRoot,
        int partitionCount,
        String ipv4Network,
        Duration periodicity,
        Duration partitionTimeout,
        int parallelism,
        boolean multiUser,
        LimitsConfig limits,
        String userBaseName) {

    /** SlapOS's default {@code user_base_name}: partition users slapuser0, slapuser1... */
    public static final String DEFAULT_USER_BASE_NAME = "slapuser";

    /** A configuration with the default partition users' prefix. */
    public NodeConfig(Path file, String masterUrl, String nodeId, Path credentialsFile, Path softwareRoot,
                      Path instanceRoot, int partitionCount, String ipv4Network, Duration periodicity,
                      Duration partitionTimeout, int parallelism, boolean multiUser, LimitsConfig limits) {
        this(file, masterUrl, nodeId, credentialsFile, softwareRoot, instanceRoot, partitionCount, ipv4Network,
                periodicity, partitionTimeout, parallelism, multiUser, limits, DEFAULT_USER_BASE_NAME);
    }

    /** A configuration with the default per-partition limits (see {@link LimitsConfig}). */
    public NodeConfig(Path file, String masterUrl, String nodeId, Path credentialsFile, Path softwareRoot,
                      Path instanceRoot, int partitionCount, String ipv4Network, Duration periodicity,
                      Duration partitionTimeout, int parallelism, boolean multiUser) {
        this(file, masterUrl, nodeId, credentialsFile, softwareRoot, instanceRoot, partitionCount, ipv4Network,
                periodicity, partitionTimeout, parallelism, multiUser, LimitsConfig.defaults(instanceRoot));
    }

    /** The same node with other per-partition limits. */
    public NodeConfig withLimits(LimitsConfig other) {
        return new NodeConfig(file, masterUrl, nodeId, credentialsFile, softwareRoot, instanceRoot, partitionCount,
                ipv4Network, periodicity, partitionTimeout, parallelism, multiUser, other, userBaseName);
    }

    /** The same node with another partition users' prefix. */
    public NodeConfig withUserBaseName(String other) {
        return new NodeConfig(file, masterUrl, nodeId, credentialsFile, softwareRoot, instanceRoot, partitionCount,
                ipv4Network, periodicity, partitionTimeout, parallelism, multiUser, limits, other);
    }

    /**
     * The prefix of this node's release build users: {@code slapsoft} for the default partition
     * users, else the partition users' prefix and {@code s}, so two nodes on one machine never
     * share a build user (one's clean-up would end the other's builds).
     */
    public String buildUserPrefix() {
        return DEFAULT_USER_BASE_NAME.equals(userBaseName) ? org.slapgrid.node.software.BuildUsers.DEFAULT_PREFIX : userBaseName + "s";
    }

    /** The node's own root-owned state, outside every partition. */
    public Path stateDirectory() {
        return instanceRoot.resolve("var");
    }

    /** The generated supervisord configuration's directory. */
    public Path supervisorConfigDirectory() {
        return instanceRoot.resolve("etc");
    }

    public Path partitionDirectory(String partitionId) {
        return instanceRoot.resolve(partitionId);
    }
}
