package org.slapgrid.recipes.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slapgrid.buildout.spi.PlainJson;

/**
 * The recipes' JSON of plain values, sorted keys so that files written twice with the same data
 * are byte-identical. jackson-core's streaming API ({@link PlainJson}), never databind: every
 * partition's buildout child JVM runs these (a databind mapper was about half its fixed cost).
 */
public final class Json {

    private Json() {
    }

    /** Compact JSON text, keys sorted. */
    public static String write(Object value) {
        return PlainJson.write(value);
    }

    /** Indented JSON text with a final newline, keys sorted: for files. */
    public static String writePretty(Object value) {
        return PlainJson.writePretty(value);
    }

    /** Parses JSON text into Maps, Lists, Strings, Numbers, Booleans and nulls. */
    public static Object parse(String text) throws JsonProcessingException {
        return PlainJson.parse(text);
    }

    public static Object read(Path file) {
        try {
            return PlainJson.read(file);
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
