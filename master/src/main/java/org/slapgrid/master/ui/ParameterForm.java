package org.slapgrid.master.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slapgrid.slap.Json;

/**
 * The request/update form generated from a release's parameter schema: one field per top-level
 * property (type, default, enum, minimum/maximum, required, description), and a JSON box for the
 * parameters the schema does not list (all of them when the release has no schema). Reading a
 * submitted form gives the parameters sent to the same validation as the API's.
 */
public final class ParameterForm {
    static final String FIELD_PREFIX = "p.";
    static final String EXTRA_FIELD = "extra";
    private static final ObjectMapper JSON = Json.lenient();

    /** How a field is entered. */
    public enum Kind { TEXT, NUMBER, SELECT, CHECKBOX }

    /** One generated field, with the value to show and its error (null when none). */
    public record Field(String name, String label, String description, Kind kind, List<String> options, String value,
                        String placeholder, String min, String max, boolean required, String error) {
        public String inputName() {
            return FIELD_PREFIX + name;
        }

        /** The HTML id of the input (names may hold characters an id should not). */
        public String inputId() {
            return "f-" + Integer.toHexString(name.hashCode()) + "-" + name.replaceAll("[^A-Za-z0-9_-]", "_");
        }
    }

    /** The fields, the JSON box's text and its error. */
    public record View(boolean hasSchema, List<Field> fields, String extra, String extraError) {
    }

    private final JsonNode schema; // null: no schema

    ParameterForm(JsonNode schema) {
        this.schema = schema;
    }

    /** The form showing {@code current} parameters, with {@code errors} by field name. */
    View view(Map<String, Object> current, Map<String, String> errors) {
        return view(name -> display(current.get(name)), extraOf(current), errors);
    }

    /** The form as it was submitted (the user's text kept, so a refused value can be corrected). */
    View submitted(Map<String, List<String>> submitted, Map<String, String> errors) {
        return view(name -> first(submitted, FIELD_PREFIX + name), first(submitted, EXTRA_FIELD), errors);
    }

    private View view(Function<String, String> valueOf, String extra, Map<String, String> errors) {
        List<Field> fields = new ArrayList<>();
        Set<String> required = requiredNames();
        for (Map.Entry<String, JsonNode> p : properties().entrySet()) {
            JsonNode s = p.getValue();
            String name = p.getKey();
            Kind kind = kind(s);
            List<String> options = new ArrayList<>();
            s.path("enum").forEach(e -> options.add(e.asText()));
            String dflt = s.has("default") ? s.get("default").asText() : "";
            fields.add(new Field(name, s.path("title").asText(name), s.path("description").asText(""), kind, options,
                    valueOf.apply(name), dflt, s.has("minimum") ? s.get("minimum").asText() : null,
                    s.has("maximum") ? s.get("maximum").asText() : null, required.contains(name), errors.get(name)));
        }
        Map<String, String> otherErrors = new TreeMap<>(errors);
        otherErrors.keySet().removeAll(properties().keySet());
        String extraError = otherErrors.isEmpty() ? null : String.join("; ", otherErrors.entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "" : e.getKey() + ": ") + e.getValue()).toList());
        return new View(schema != null, fields, extra == null ? "" : extra, extraError);
    }

    /**
     * The parameters of a submitted form. An empty field is left out (the release's default
     * applies); a number field holding a number is sent as a JSON number. A JSON box that is not a
     * JSON object is an error under {@link #EXTRA_FIELD}.
     */
    Map<String, Object> parameters(Map<String, List<String>> submitted, Map<String, String> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        String extra = first(submitted, EXTRA_FIELD);
        if (extra != null && !extra.isBlank()) {
            try {
                Map<String, Object> more = JSON.readValue(extra, new TypeReference<LinkedHashMap<String, Object>>() { });
                if (more == null) {
                    errors.put(EXTRA_FIELD, "must be a JSON object, like {\"key\": \"value\"}");
                } else {
                    out.putAll(more);
                }
            } catch (JsonProcessingException e) {
                errors.put(EXTRA_FIELD, "not a JSON object: " + e.getOriginalMessage());
            }
        }
        for (Map.Entry<String, JsonNode> p : properties().entrySet()) {
            String name = p.getKey();
            Kind kind = kind(p.getValue());
            String v = first(submitted, FIELD_PREFIX + name);
            if (kind == Kind.CHECKBOX) {
                out.put(name, v != null);
                continue;
            }
            if (v == null || v.isEmpty()) {
                out.remove(name);
                continue;
            }
            out.put(name, kind == Kind.NUMBER ? number(v, p.getValue()) : v);
        }
        return out;
    }

    private static Object number(String v, JsonNode s) {
        try {
            BigDecimal d = new BigDecimal(v.strip());
            if (types(s).contains("integer")) {
                try {
                    return d.longValueExact();
                } catch (ArithmeticException e) {
                    return v; // not an integer: sent as typed, the schema names the problem
                }
            }
            return d;
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private Map<String, JsonNode> properties() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (schema != null) {
            Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private Set<String> requiredNames() {
        Set<String> out = new java.util.HashSet<>();
        if (schema != null) {
            schema.path("required").forEach(r -> out.add(r.asText()));
        }
        return out;
    }

    private static Kind kind(JsonNode s) {
        if (s.has("enum")) {
            return Kind.SELECT;
        }
        Set<String> t = types(s);
        if (t.equals(Set.of("boolean"))) {
            return Kind.CHECKBOX;
        }
        return t.contains("integer") || t.contains("number") ? Kind.NUMBER : Kind.TEXT;
    }

    private static Set<String> types(JsonNode s) {
        JsonNode t = s.path("type");
        Set<String> out = new java.util.HashSet<>();
        if (t.isArray()) {
            t.forEach(x -> out.add(x.asText()));
        } else if (t.isTextual()) {
            out.add(t.asText());
        }
        return out;
    }

    private String extraOf(Map<String, Object> current) {
        Map<String, Object> rest = new LinkedHashMap<>(current);
        rest.keySet().removeAll(properties().keySet());
        if (rest.isEmpty()) {
            return "";
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String display(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Map || v instanceof List) {
            try {
                return JSON.writeValueAsString(v);
            } catch (JsonProcessingException e) {
                return String.valueOf(v);
            }
        }
        return String.valueOf(v);
    }

    private static String first(Map<String, List<String>> m, String key) {
        List<String> v = m.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
