package org.slapgrid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The cli's one JSON configuration, for what its verbs print with {@code --json}: the protocol's
 * mapper ({@link org.slapgrid.slap.Json}, which the console's client reads the master with),
 * indented, times as ISO-8601 text. Files a verb reads (parameters, values) go through the
 * protocol's strict reader, as the master would read them.
 */
public final class Json {
    private static final ObjectMapper PRINTER = org.slapgrid.slap.Json.lenient()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper SORTED = PRINTER.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {
    }

    /** {@code value} as a verb prints it: indented JSON. */
    public static String print(Object value) {
        return write(PRINTER, value);
    }

    /** The same with every map's keys sorted, at every level (output to compare or diff). */
    public static String printSorted(Object value) {
        return write(SORTED, value);
    }

    /** {@code value}'s fields as they print, in order: to print it with more fields. */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> fields(Object value) {
        return new java.util.LinkedHashMap<String, Object>(PRINTER.convertValue(value, java.util.Map.class));
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot print as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
