package org.slapgrid.recipes.slap;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Recipe;
import org.slapgrid.recipes.support.Json;
import org.slapgrid.recipes.support.NamedFactory;

/**
 * {@code slapos.cookbook:slapconfiguration} (and {@code .serialised}, {@code .jsonschema}):
 * everything happens when the part is created, so other sections can substitute the values.
 *
 * <p>Outputs: {@code configuration} (structured: the parameters over the defaults) and
 * {@code configuration.<key>} for each key (strings as they are, other values as JSON),
 * {@code slap-software-type}, {@code instance-state}, {@code slap-computer-id},
 * {@code slap-computer-partition-id}, {@code slap-software-release-url}, {@code instance-title},
 * {@code root-instance-title}, {@code instance-guid}, {@code ipv4}, {@code ipv6} (structured
 * lists), {@code ipv4-random}, {@code ipv6-random}, {@code slave-instance-list} (structured), and
 * for a cluster's member (docs/clusters.md) {@code cluster} (structured: name, topology, role,
 * index, primary, members with role, node, partition and connection parameters) with
 * {@code cluster-name}, {@code cluster-role}, {@code cluster-index} and {@code cluster-primary}.
 *
 * <p>Defaults are the profile's own {@code configuration.<name> = value} options; a parameter
 * that is absent, null or the empty string counts as no value and leaves the default.
 */
public final class SlapConfigurationRecipe implements Recipe {

    public static final class Factory extends NamedFactory {
        public Factory() {
            super("slapos.cookbook:slapconfiguration", "slapos.cookbook:slapconfiguration.serialised",
                    "slapos.cookbook:slapconfiguration.jsonschema");
        }

        @Override
        public Recipe create(BuildoutContext buildout, String name, Options options) {
            return new SlapConfigurationRecipe(buildout, name, options);
        }
    }

    private static final String PREFIX = "configuration.";

    SlapConfigurationRecipe(BuildoutContext buildout, String recipeName, Options options) {
        SlapInstance instance = SlapInstances.find(buildout, options);
        InstanceConfiguration config;
        try {
            config = instance.configuration();
        } catch (SlapInstanceException e) {
            throw options.error(null, "cannot read the instance configuration: " + e.getMessage());
        }
        Map<String, Object> parameters = new LinkedHashMap<>(config.parameters());
        if (recipeName.endsWith(".serialised")) {
            parameters = deserialise(options, parameters);
        }
        // An absent, null or empty parameter counts as no value (the profile default applies).
        Map<String, Object> given = new LinkedHashMap<>();
        parameters.forEach((key, value) -> {
            if (value != null && !"".equals(value)) {
                given.put(key, value);
            }
        });
        if (recipeName.endsWith(".jsonschema")) {
            // What the requester sent is validated; the profile's own defaults are the author's.
            ParameterSchema.fromOptions(buildout, options, config.softwareType()).apply(options, given);
        }
        // Sorted, so the same parameters always give the same option text (and signature).
        Map<String, Object> configuration = new java.util.TreeMap<>();
        for (String key : new TreeSet<>(options.keys())) {
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length()) {
                configuration.put(key.substring(PREFIX.length()), options.get(key));
            }
        }
        given.forEach((key, value) -> configuration.put(key, sorted(value)));

        options.putObject("configuration", configuration);
        configuration.forEach((key, value) -> {
            // Keys that cannot be option names (buildout's option syntax) stay in 'configuration' only.
            if (!key.contains("=") && !key.contains(":") && !key.isBlank()) {
                options.put(PREFIX + key, Json.asOptionText(value));
            }
        });
        options.put("slap-software-type", config.softwareType());
        options.put("instance-state", config.requestedState());
        options.put("slap-computer-id", config.nodeId());
        options.put("slap-computer-partition-id", config.partitionId());
        options.put("slap-software-release-url", config.softwareReleaseUrl());
        options.put("instance-title", config.instanceTitle().isEmpty() ? "UNKNOWN Instance" : config.instanceTitle());
        options.put("root-instance-title", config.rootInstanceTitle().isEmpty() ? "UNKNOWN" : config.rootInstanceTitle());
        options.put("instance-guid", config.instanceGuid());
        options.putObject("ipv4", config.ipv4());
        options.putObject("ipv6", config.ipv6());
        config.ipv4().stream().sorted().findFirst().ifPresent(ip -> options.put("ipv4-random", ip));
        config.ipv6().stream().sorted().findFirst().ifPresent(ip -> options.put("ipv6-random", ip));
        options.putObject("slave-instance-list", config.sharedInstances());
        if (!config.cluster().isEmpty()) {
            Map<String, Object> cluster = config.cluster();
            options.putObject("cluster", sorted(cluster));
            options.put("cluster-name", String.valueOf(cluster.get("cluster")));
            options.put("cluster-role", String.valueOf(cluster.get("role")));
            options.put("cluster-index", String.valueOf(cluster.get("index")));
            options.put("cluster-primary", cluster.get("primary") == null ? "" : String.valueOf(cluster.get("primary")));
        }
    }

    /** Nested maps sorted too, for the same reason. */
    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> result = new java.util.TreeMap<>();
            map.forEach((k, v) -> result.put(String.valueOf(k), sorted(v)));
            return result;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SlapConfigurationRecipe::sorted).toList();
        }
        return value;
    }

    /** {@code .serialised}: the parameters are JSON text under the key {@code _}. */
    private static Map<String, Object> deserialise(Options options, Map<String, Object> parameters) {
        Object text = parameters.get("_");
        if (text == null) {
            return new LinkedHashMap<>();
        }
        try {
            Object value = Json.parse(String.valueOf(text));
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> result = new LinkedHashMap<>();
                map.forEach((k, v) -> result.put(String.valueOf(k), v));
                return result;
            }
            return new LinkedHashMap<>();
        } catch (JsonProcessingException e) {
            throw options.error(null, "parameter '_' is not JSON: " + e.getOriginalMessage());
        }
    }

    @Override
    public Collection<Path> install() {
        return List.of();
    }

    @Override
    public Collection<Path> update() {
        return List.of();
    }
}
