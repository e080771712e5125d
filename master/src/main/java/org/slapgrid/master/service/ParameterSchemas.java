package org.slapgrid.master.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slapgrid.slap.Json;

/**
 * The parameter schema a software release declares, as SlapOS does: a {@code software.cfg.json}
 * beside the release's {@code software.cfg} whose {@code software-type.<type>.request} names the
 * JSON Schema (draft 7) of the parameters, relative to it. The master reads it for releases given
 * as a local path or {@code file:} URL; it never fetches a remote URL (a user-given URL would make
 * the master a proxy into its own network), so a remote release has no schema at the master and
 * its parameters are checked by the node only.
 *
 * <p>One validator for the API ({@code POST /api/v1/instances}, 422 {@code invalid_parameters})
 * and the web UI's generated form (errors beside each field).
 */
public final class ParameterSchemas {
    private static final ObjectMapper JSON = Json.lenient();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            builder -> builder.defaultMetaSchemaIri(SpecVersion.VersionFlag.V7.getId()));
    /** A schema file larger than this is not a parameter schema. */
    private static final long MAX_SCHEMA_BYTES = 1 << 20;

    /** A release type's schema: its JSON and the compiled validator. */
    public record Schema(Path file, JsonNode json, JsonSchema compiled) {
    }

    private record Cached(FileTime descriptorTime, FileTime schemaTime, Optional<Schema> schema) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** The schema of {@code softwareType} of release {@code softwareUrl}, if the release declares one the master can read. */
    public Optional<Schema> find(String softwareUrl, String softwareType) {
        Optional<Path> descriptor = descriptor(softwareUrl);
        if (descriptor.isEmpty()) {
            return Optional.empty();
        }
        String key = softwareUrl + "\n" + softwareType;
        FileTime dTime = mtime(descriptor.get());
        Cached c = cache.get(key);
        if (c != null && dTime.equals(c.descriptorTime()) && c.schema().map(s -> mtime(s.file()).equals(c.schemaTime())).orElse(true)) {
            return c.schema();
        }
        Optional<Schema> schema = load(descriptor.get(), softwareType);
        if (cache.size() > 1000) {
            cache.clear();
        }
        cache.put(key, new Cached(dTime, schema.map(s -> mtime(s.file())).orElse(null), schema));
        return schema;
    }

    /**
     * Field name to error for {@code parameters}; empty when they are valid or no schema applies.
     * A problem with the object itself (not one field) is under the key {@code ""}.
     */
    public Map<String, String> validate(String softwareUrl, String softwareType, Map<String, Object> parameters) {
        Map<String, String> errors = new TreeMap<>();
        find(softwareUrl, softwareType).ifPresent(schema -> {
            for (ValidationMessage m : schema.compiled().validate(JSON.valueToTree(given(parameters)))) {
                errors.merge(field(m), m.getError(), (a, b) -> a + "; " + b);
            }
        });
        return errors;
    }

    /**
     * The parameters that carry a value: an empty one counts as none (design, glossary: the profile's
     * default applies), so it is not held against the schema's type or pattern.
     */
    private static Map<String, Object> given(Map<String, Object> parameters) {
        Map<String, Object> given = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (v != null && !"".equals(v)) {
                given.put(k, v);
            }
        });
        return given;
    }

    /** Refuses invalid parameters with 422 invalid_parameters, naming each field. */
    void check(String softwareUrl, String softwareType, Map<String, Object> parameters) {
        Map<String, String> errors = validate(softwareUrl, softwareType, parameters);
        if (!errors.isEmpty()) {
            StringBuilder sb = new StringBuilder("invalid parameters for this release: ");
            errors.forEach((f, e) -> sb.append(f.isEmpty() ? "" : "parameter '" + f + "': ").append(e).append("; "));
            throw new ApiException(422, "invalid_parameters", sb.substring(0, sb.length() - 2));
        }
    }

    private static String field(ValidationMessage m) {
        String location = m.getInstanceLocation().toString();
        // "$.memory" (JSONPath) or "/memory" (JSON Pointer), depending on the validator's configuration.
        String name = location.startsWith("$.") ? location.substring(2)
                : location.startsWith("$") || location.startsWith("/") ? location.substring(1) : location;
        if (name.isEmpty() && m.getProperty() != null && "required".equals(m.getType())) {
            name = m.getProperty();
        }
        return name;
    }

    private static Optional<Path> descriptor(String softwareUrl) {
        Path release;
        try {
            if (softwareUrl.startsWith("file:")) {
                release = Path.of(URI.create(softwareUrl));
            } else if (softwareUrl.startsWith("/")) {
                release = Path.of(softwareUrl);
            } else {
                return Optional.empty();
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
        Path json = release.resolveSibling(release.getFileName() + ".json");
        return Files.isRegularFile(json) ? Optional.of(json) : Optional.empty();
    }

    private static Optional<Schema> load(Path descriptor, String softwareType) {
        try {
            JsonNode d = read(descriptor);
            String request = d.path("software-type").path(softwareType).path("request").asText("");
            if (request.isEmpty()) {
                return Optional.empty();
            }
            Path file = descriptor.resolveSibling(request).normalize();
            JsonNode json = read(file);
            JsonSchema compiled = FACTORY.getSchema(file.toUri(), json, SchemaValidatorsConfig.builder().build());
            return Optional.of(new Schema(file, json, compiled));
        } catch (IOException | RuntimeException e) {
            // A broken descriptor is the release's problem: the node reports it when it builds; the master
            // then has no schema to check against rather than refusing every request.
            return Optional.empty();
        }
    }

    private static JsonNode read(Path file) throws IOException {
        if (Files.size(file) > MAX_SCHEMA_BYTES) {
            throw new IOException(file + " is larger than " + MAX_SCHEMA_BYTES + " bytes");
        }
        return JSON.readTree(file.toFile());
    }

    private static FileTime mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
