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
 * </pre>
 * Every error names the file, the section and the option.
 */
public final class NodeConfigLoader {

    private static final String SECTION = "slapos";
    private static final Set<String> KNOWN = Set.of("master_url", "node_id", "computer_id", "credentials_file",
            "software_root", "instance_root", "partition_amount", "ipv4_network", "periodicity",
            "partition_timeout", "parallelism");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

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

    NodeConfig parse(Path file, String text) {
        INIConfiguration ini = new INIConfiguration();
        try (Reader r = new StringReader(text)) {
            ini.read(r);
        } catch (ConfigurationException | IOException e) {
            throw new NodeConfigException(file + ": not a valid INI file: " + e.getMessage(), e);
        }
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
        return new NodeConfig(file, masterUrl, nodeId, credentials, softwareRoot, instanceRoot, partitions, network,
                periodicity, timeout, parallelism, layout.multiUser());
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
