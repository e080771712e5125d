package org.slapgrid.node.supervisor.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slapgrid.node.supervisor.SupervisorException;

/**
 * Node-unique supervisord program names: {@code <partition>_<executable>}, e.g.
 * {@code slappart0_mariadb}. supervisord splits names on ':' and the config on whitespace and
 * comment characters, so only {@code [A-Za-z0-9_.-]} is kept; when the file name had to be
 * altered, a short hash of the original keeps it unique, the same on every run (the generator
 * also resolves a run script named like a service: see ConfigGenerator).
 */
public final class ProgramNames {
    private static final Pattern PARTITION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

    private ProgramNames() {
    }

    /** Partition ids must not contain '_' so that {@code <partition>_} is an unambiguous prefix. */
    public static void checkPartitionId(String id) {
        if (!PARTITION_ID.matcher(id).matches() || id.length() > 64) {
            throw new SupervisorException("partition id '" + id
                    + "' is not usable in a supervisord program name (letters, digits, '.' and '-' only)");
        }
    }

    static String baseName(String partitionId, String scriptName) {
        String cleaned = scriptName.replaceAll("[^A-Za-z0-9_.-]", "_");
        String name = partitionId + "_" + cleaned;
        return SAFE.matcher(scriptName).matches() ? name : name + "_" + shortHash(scriptName);
    }

    static String disambiguated(String base, String origin) {
        return base + "_" + shortHash(origin);
    }

    static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
