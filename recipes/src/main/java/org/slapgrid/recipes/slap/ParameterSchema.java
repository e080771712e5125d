package org.slapgrid.recipes.slap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.recipes.support.OptionValues;

/**
 * The JSON Schema a release ships for its parameters ({@code .jsonschema} variant). The
 * {@code jsonschema} option names either a schema file or a {@code software.cfg.json}, whose
 * {@code software-type.<type>.request} entry (relative to it) is then the schema. Options:
 * {@code set-default} ({@code main} or {@code none}, default none): fill missing parameters from
 * the schema's top-level {@code default}s; {@code validate-parameters} (default true).
 */
record ParameterSchema(Path file, JsonNode schema, boolean setDefault, boolean validate) {

    /** Databind here only (the validator works on its trees): a profile without a schema never loads it. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Draft 7 unless the schema says otherwise ($schema); SlapOS's software.cfg.json schemas are draft 7. */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            builder -> builder.defaultMetaSchemaIri(SpecVersion.VersionFlag.V7.getId()));

    static ParameterSchema fromOptions(BuildoutContext buildout, Options options, String softwareType) {
        Path file = OptionValues.requiredPath(buildout, options, "jsonschema");
        JsonNode node = read(options, file);
        if (node.has("software-type")) {
            JsonNode type = node.path("software-type").path(softwareType);
            if (type.isMissingNode()) {
                throw options.error("jsonschema", file + " declares no software type '" + softwareType + "'");
            }
            String request = type.path("request").asText("");
            if (request.isEmpty()) {
                throw options.error("jsonschema", file + ": software type '" + softwareType + "' has no 'request' schema");
            }
            file = file.resolveSibling(request).normalize();
            node = read(options, file);
        }
        String setDefault = options.get("set-default", "none").strip();
        if (!setDefault.equals("none") && !setDefault.equals("main") && !setDefault.equals("all")) {
            throw options.error("set-default", "expected none, main or all, got '" + setDefault + "'");
        }
        boolean validate = org.slapgrid.recipes.support.Bools.option(options, "validate-parameters", true);
        return new ParameterSchema(file, node, !setDefault.equals("none"), validate);
    }

    /** Applies defaults, then validates; an invalid parameter is an error naming it. */
    void apply(Options options, Map<String, Object> configuration) {
        if (setDefault) {
            Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
            while (properties.hasNext()) {
                Map.Entry<String, JsonNode> property = properties.next();
                JsonNode defaultValue = property.getValue().get("default");
                if (defaultValue != null && !configuration.containsKey(property.getKey())) {
                    configuration.put(property.getKey(), MAPPER.convertValue(defaultValue, Object.class));
                }
            }
        }
        if (!validate) {
            return;
        }
        JsonSchema compiled = FACTORY.getSchema(file.toUri(), schema, SchemaValidatorsConfig.builder().build());
        Set<ValidationMessage> errors = compiled.validate(MAPPER.valueToTree(configuration));
        if (!errors.isEmpty()) {
            String detail = errors.stream()
                    .map(ParameterSchema::describe)
                    .sorted()
                    .collect(Collectors.joining("; "));
            throw options.error("jsonschema", "invalid parameters (schema " + file + "): " + detail);
        }
    }

    private static String describe(ValidationMessage message) {
        String location = message.getInstanceLocation().toString();
        String name = location.startsWith("$.") ? location.substring(2)
                : location.startsWith("/") ? location.substring(1) : location;
        String property = message.getProperty();
        if ((name.equals("$") || name.isEmpty()) && property != null && !property.isEmpty()) {
            name = property;
        }
        return "parameter '" + name + "': " + message.getMessage();
    }

    private static JsonNode read(Options options, Path file) {
        if (!Files.isRegularFile(file)) {
            throw options.error("jsonschema", "schema file not found: " + file);
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw options.error("jsonschema", "cannot read schema " + file + ": " + e.getMessage());
        }
    }
}
