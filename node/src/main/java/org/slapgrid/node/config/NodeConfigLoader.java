package org.slapgrid.node.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.commons.configuration2.INIConfiguration;
import org.slapgrid.node.limits.LimitsConfig;
import org.slapgrid.node.limits.PartitionLimits;
import org.slapgrid.slap.Sizes;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * Reads {@code slapos.cfg}, an INI file whose {@code [slapos]} section holds:
 * <pre>
 * [slapos]
 * master_url = http://127.0.0.1:5050      (mandatory)
 * node_id = node-1                         (mandatory; computer_id is accepted too)
 * credentials_file = .../node.secret      (default: beside slapos.cfg)
 * software_root = /opt/slapgrid            (default from the layout)
 * instance_root = /srv/slapgrid            (default from the layout)
 * partition_amount = 10                    (default 10)
 * ipv4_network = 127.1.0.0/16              (default; loopback only)
 * periodicity = 86400                      (seconds, default one day)
 * partition_timeout = 3600                 (seconds)
 * parallelism = 2                          (partitions converged at once)
 * partition_memory_limit = 50%             (per partition: size or % of RAM; 0 = none)
 * partition_max_processes = 2048           (per partition, threads included; 0 = none)
 * partition_cpu_limit = 0                  (per partition, in CPUs such as 1.5; 0 = none)
 * partition_disk_quota = 50%               (per partition: size or % of the instance root's file system; 0 = none)
 * cgroup_parent = /slapgrid                (default: slapgrid-NODE_ID below the node's own cgroup)
 * compliance_interval = 86400             (seconds between the daemon's compliance auto runs; 0 = never;
 *                                          read by org.slapgrid.node.compliance.ComplianceSchedule)
 * user_base_name = slapuser                (partition N runs as slapuserN; each node on one machine its own)
 * </pre>
 * The limits are described in {@link org.slapgrid.node.limits.LimitsConfig}.
 * Every error names the file, the section and the option.
 */
public final class NodeConfigLoader {

    private static final String SECTION = "slapos";
    private static final Set<String> KNOWN = Set.of("master_url", "node_id", "computer_id", "credentials_file",
            "software_root", "instance_root", "partition_amount", "ipv4_network", "periodicity",
            "partition_timeout", "parallelism", "partition_memory_limit", "partition_max_processes",
            "partition_cpu_limit", "partition_disk_quota", "cgroup_parent", "compliance_interval", "user_base_name",
            "tags");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /** A partition user's name prefix: with a 4-digit index and as a build users' prefix, a valid Unix name. */
    public static final String USER_BASE_NAME = "[a-z][a-z0-9]{0,15}";

    private final NodeLayout layout;
    private final List<String> warnings = new ArrayList<>();

    public NodeConfigLoader(NodeLayout layout) {
        this.layout = layout;
    }

    /** Options in the file that this version does not know (likely typos), for the caller to show. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public NodeConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NodeConfigException(file + ": no node configuration here; write one (see `slapos node register --help`)"
                    + " or name another with --config");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new NodeConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    /**
     * The text of one {@code [slapos]} option, read from {@code file} on its own, for an option a
     * part of the node reads (and checks) where it needs it: {@code compliance_interval}, {@code
     * tags}. Null when the file or the option is missing or blank.
     */
    public static String rawOption(Path file, String option) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        INIConfiguration ini;
        try (Reader r = Files.newBufferedReader(file)) {
            ini = ini(file, r);
        } catch (IOException e) {
            throw notIni(file, e);
        }
        String v = ini.getSection(SECTION).getString(option);
        return v == null || v.isBlank() ? null : v;
    }

    private static INIConfiguration ini(Path file, Reader text) {
        INIConfiguration ini = new INIConfiguration();
        try {
            ini.read(text);
        } catch (ConfigurationException | IOException e) {
            throw notIni(file, e);
        }
        return ini;
    }

    private static NodeConfigException notIni(Path file, Exception e) {
        return new NodeConfigException(file + ": not a valid INI file: " + e.getMessage(), e);
    }

    NodeConfig parse(Path file, String text) {
        INIConfiguration ini = ini(file, new StringReader(text));
        if (!ini.getSections().contains(SECTION)) {
            throw new NodeConfigException(file + ": missing section [" + SECTION + "]");
        }
        SubnodeConfiguration s = ini.getSection(SECTION);
        for (Iterator<String> it = s.getKeys(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN.contains(key)) {
                warnings.add(file + ": [" + SECTION + "] " + key + ": unknown option, ignored");
            }
        }
        Option o = new Option(file, s);
        String masterUrl = o.required("master_url");
        if (!masterUrl.matches("https?://[^\\s/]+.*")) {
            throw o.error("master_url", "expected an http:// or https:// URL, got '" + masterUrl + "'");
        }
        String nodeId = o.optional("node_id", o.optional("computer_id", null));
        if (nodeId == null) {
            throw o.error("node_id", "missing mandatory option");
        }
        if (!nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw o.error("node_id", "expected letters, digits, '.', '_' or '-' (at most 64), got '" + nodeId + "'");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path credentials = o.path("credentials_file", dir.resolve("node.secret"), dir);
        Path softwareRoot = o.path("software_root", layout.softwareRoot(), dir);
        Path instanceRoot = o.path("instance_root", layout.instanceRoot(), dir);
        int partitions = o.integer("partition_amount", 10, 1, 10_000);
        String network = o.optional("ipv4_network", "127.1.0.0/16");
        var m = CIDR.matcher(network);
        if (!m.matches() || !"127".equals(m.group(1)) || Integer.parseInt(m.group(5)) < 8 || Integer.parseInt(m.group(5)) > 30) {
            throw o.error("ipv4_network", "expected a loopback network such as 127.1.0.0/16 (prefix 8 to 30), got '" + network + "'");
        }
        Duration periodicity = Duration.ofSeconds(o.integer("periodicity", 86_400, 0, Integer.MAX_VALUE));
        Duration timeout = Duration.ofSeconds(o.integer("partition_timeout", 3_600, 1, Integer.MAX_VALUE));
        int parallelism = o.integer("parallelism", Math.max(2, Runtime.getRuntime().availableProcessors()), 1, 256);
        String userBase = o.optional("user_base_name", NodeConfig.DEFAULT_USER_BASE_NAME);
        if (!userBase.matches(USER_BASE_NAME)) {
            throw o.error("user_base_name", "expected 1 to 16 lower-case letters or digits, starting with a letter"
                    + " (partition N runs as <user_base_name>N), got '" + userBase + "'");
        }
        return new NodeConfig(file, masterUrl, nodeId, credentials, softwareRoot, instanceRoot, partitions, network,
                periodicity, timeout, parallelism, layout.multiUser(), limits(o, instanceRoot), userBase);
    }

    private static LimitsConfig limits(Option o, Path instanceRoot) {
        long ram = LimitsConfig.physicalMemory();
        long memory = o.size("partition_memory_limit", LimitsConfig.DEFAULT_MEMORY, ram);
        if (memory != 0 && (memory < PartitionLimits.MIN_DEFAULT_MEMORY || memory > ram)) {
            throw o.error("partition_memory_limit", "expected 0 (none) or from " + Sizes.format(PartitionLimits.MIN_DEFAULT_MEMORY)
                    + " to the machine's " + Sizes.format(ram) + ", got " + Sizes.format(memory));
        }
        int processes = o.integer("partition_max_processes", LimitsConfig.DEFAULT_PROCESSES, 0, PartitionLimits.MAX_PROCESSES);
        if (processes != 0 && processes < PartitionLimits.MIN_PROCESSES) {
            throw o.error("partition_max_processes", "expected 0 (none) or from " + PartitionLimits.MIN_PROCESSES
                    + " to " + PartitionLimits.MAX_PROCESSES + ", got " + processes);
        }
        double cpus = o.decimal("partition_cpu_limit", 0, PartitionLimits.MIN_CPUS, PartitionLimits.MAX_CPUS);
        long disk = o.size("partition_disk_quota", LimitsConfig.DEFAULT_DISK_QUOTA, LimitsConfig.fileSystemSize(instanceRoot));
        String parent = o.optional("cgroup_parent", null);
        if (parent != null && !parent.matches("(/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){1,8}")) {
            throw o.error("cgroup_parent", "expected an absolute path of simple names such as /slapgrid, got '" + parent + "'");
        }
        return new LimitsConfig(new PartitionLimits(memory, processes, cpus), disk, parent);
    }

    /** Reads one option of [slapos] and turns a bad value into an error naming file, section and option. */
    private record Option(Path file, SubnodeConfiguration section) {

        NodeConfigException error(String key, String message) {
            return new NodeConfigException(file + ": [" + SECTION + "] " + key + ": " + message);
        }

        String optional(String key, String fallback) {
            String v = section.getString(key, null);
            return v == null || v.isBlank() ? fallback : v.strip();
        }

        String required(String key) {
            String v = optional(key, null);
            if (v == null) {
                throw error(key, "missing mandatory option");
            }
            return v;
        }

        Path path(String key, Path fallback, Path base) {
            String v = optional(key, null);
            return v == null ? fallback : base.resolve(v).normalize();
        }

        /** A size (0, 512M, 2G, 50% of {@code whole}); 0 means none. */
        long size(String key, String fallback, long whole) {
            String v = optional(key, fallback);
            if (v.equalsIgnoreCase("none")) {
                return 0;
            }
            try {
                return Sizes.parse(v, whole);
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }

        /** 0 (none) or a decimal number from min to max. */
        double decimal(String key, double fallback, double min, double max) {
            String v = optional(key, null);
            if (v == null) {
                return fallback;
            }
            double n;
            try {
                n = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw error(key, "expected a number such as 1.5, got '" + v + "'");
            }
            if (n != 0 && !(n >= min && n <= max)) {
                throw error(key, "expected 0 (none) or a number from " + min + " to " + max + ", got " + v);
            }
            return n;
        }

        int integer(String key, int fallback, int min, int max) {
            String v = optional(key, null);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw error(key, "expected a whole number from " + min + " to " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw error(key, "expected a whole number, got '" + v + "'");
            }
        }
    }
}
