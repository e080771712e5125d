package org.slapgrid.recipes.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** One shared Jackson mapper: sorted keys so files written twice with the same data are byte-identical. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Compact JSON text, keys sorted. */
    public static String write(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot render as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Indented JSON text with a final newline, keys sorted: for files. */
    public static String writePretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot render as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON text into Maps, Lists, Strings, Numbers, Booleans and nulls. */
    public static Object parse(String text) throws JsonProcessingException {
        return MAPPER.readValue(text, Object.class);
    }

    public static Object read(Path file) {
        try {
            return MAPPER.readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a structured value is shown as an option string: strings as they are, the rest as JSON. */
    public static String asOptionText(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof String s ? s : write(value);
    }
}
