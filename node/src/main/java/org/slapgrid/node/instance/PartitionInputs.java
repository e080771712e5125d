package org.slapgrid.node.instance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slapgrid.node.io.Json;

/**
 * Everything a partition's convergence depends on. When none of it changed since the last
 * successful run, and the periodicity has not elapsed, the partition is skipped: its buildout
 * does not run, only its promises do.
 *
 * @param softwareReleaseUrl the release the instance runs
 * @param softwareType       its software type
 * @param parameters         its parameters (JSON values)
 * @param requestedState     started, stopped or destroyed
 * @param profileDigest      a digest of the release's instance profile and of the release
 *                           build (so a rebuilt release re-converges its instances)
 * @param nodeWritten        what the node writes for the partition's buildout: the generated
 *                           partition profile (connection, addresses), the instance.json and
 *                           the instance's id
 */
public record PartitionInputs(String softwareReleaseUrl, String softwareType, Map<String, Object> parameters,
                              String requestedState, String profileDigest, String nodeWritten) {

    // ORDER_MAP_ENTRIES_BY_KEYS makes the JSON canonical: equal parameters, equal hash.
    private static final ObjectMapper CANONICAL = Json.canonical();

    /** A SHA-256 over the canonical JSON of every input. */
    public String hash() {
        try {
            Map<String, Object> all = new TreeMap<>();
            all.put("url", softwareReleaseUrl);
            all.put("type", softwareType);
            all.put("parameters", parameters);
            all.put("state", requestedState);
            all.put("profile", profileDigest);
            all.put("partition-profile", nodeWritten); // the key of older records: renaming it would re-converge all
            return sha256(CANONICAL.writeValueAsBytes(all));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash partition inputs", e);
        }
    }

    /** A SHA-256 of {@code text} (UTF-8), in hex as {@link #hash()}: for an input that is itself a digest of something. */
    public static String digest(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
