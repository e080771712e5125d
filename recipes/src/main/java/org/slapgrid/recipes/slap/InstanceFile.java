package org.slapgrid.recipes.slap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slapgrid.recipes.support.Json;

/**
 * The one owner of the {@code instance.json} format: the node writes a partition's
 * {@link InstanceConfiguration} with {@link #encode}, the recipes (through
 * {@link LocalSlapInstance}) read it back with {@link #decode}. Keys are those of SlapOS's
 * instance configuration ({@code node-id}, {@code partition-id}, {@code software-release-url},
 * {@code software-type}, {@code requested-state}, {@code parameters}, {@code ipv4},
 * {@code ipv6}, {@code instance-title}, {@code root-instance-title}, {@code instance-guid},
 * {@code shared-instances}), and {@code cluster} for a cluster's member only (so the file of an
 * instance in no cluster is what it always was); the output is canonical (sorted keys, indented), so equal
 * configurations give equal files (the node hashes them to decide whether to converge). Read
 * and written with jackson-core's streaming API ({@link Json}), not databind: every partition's
 * buildout child reads this file, and a databind mapper was about half of that JVM's fixed cost.
 */
public final class InstanceFile {

    private InstanceFile() {
    }

    /** The file's text for {@code c}. */
    public static String encode(InstanceConfiguration c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("node-id", c.nodeId());
        doc.put("partition-id", c.partitionId());
        doc.put("software-release-url", c.softwareReleaseUrl());
        doc.put("software-type", c.softwareType());
        doc.put("requested-state", c.requestedState());
        doc.put("parameters", c.parameters());
        doc.put("ipv4", c.ipv4());
        doc.put("ipv6", c.ipv6());
        doc.put("instance-title", c.instanceTitle());
        doc.put("root-instance-title", c.rootInstanceTitle());
        doc.put("instance-guid", c.instanceGuid());
        doc.put("shared-instances", c.sharedInstances());
        if (!c.cluster().isEmpty()) {
            doc.put("cluster", c.cluster());
        }
        return Json.writePretty(doc);
    }

    /** The JSON object of an instance file (or of the published and requested files beside it); empty if absent and not {@code mandatory}. */
    public static Map<String, Object> read(Path file, boolean mandatory) {
        Object value;
        try {
            value = Json.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            if (mandatory) {
                throw new SlapInstanceException("instance file not found: " + file);
            }
            return new TreeMap<>();
        } catch (IOException e) {
            throw new SlapInstanceException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new SlapInstanceException(file + ": expected a JSON object at the top level");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = new TreeMap<>((Map<String, Object>) m);
        return result;
    }

    /** The configuration a parsed instance file holds; a missing key takes its default, a key of the wrong type is an error naming it. */
    public static InstanceConfiguration decode(Map<String, Object> doc) {
        return new InstanceConfiguration(
                string(doc, "node-id", "local"),
                string(doc, "partition-id", "slappart0"),
                string(doc, "software-release-url", ""),
                string(doc, "software-type", "default"),
                string(doc, "requested-state", "started"),
                map(doc, "parameters"),
                strings(doc, "ipv4"),
                strings(doc, "ipv6"),
                string(doc, "instance-title", ""),
                string(doc, "root-instance-title", ""),
                string(doc, "instance-guid", ""),
                maps(doc, "shared-instances"),
                map(doc, "cluster"));
    }

    static String string(Map<String, Object> doc, String key, String defaultValue) {
        Object value = doc.get(key);
        return value == null ? defaultValue : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> doc, String key) {
        Object value = doc.get(key);
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new SlapInstanceException("'" + key + "' must be a JSON object");
        }
        return new LinkedHashMap<>((Map<String, Object>) value);
    }

    private static List<String> strings(Map<String, Object> doc, String key) {
        Object value = doc.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new SlapInstanceException("'" + key + "' must be a JSON array of strings");
        }
        return list.stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> doc, String key) {
        Object value = doc.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(Map.class::isInstance)) {
            throw new SlapInstanceException("'" + key + "' must be a JSON array of objects");
        }
        return (List<Map<String, Object>>) value;
    }
}
