package org.slapgrid.buildout.spi;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

/**
 * JSON text of plain values (maps, lists, strings, numbers, booleans, null) with jackson-core's
 * streaming API only. Every buildout child JVM reads {@code instance.json} and renders the
 * structured values of its recipes: through jackson-databind that loaded about 500 classes and
 * built an {@code ObjectMapper} for each child, a large share of the child's fixed cost; the
 * streaming parser and generator load a few dozen.
 *
 * <p>It reads and writes what {@code ObjectMapper} does for these values, byte for byte:
 * objects as {@link LinkedHashMap}, arrays as {@link ArrayList}, integers as {@code Integer},
 * {@code Long} or {@code BigInteger} (the smallest that holds them), other numbers as
 * {@code Double}; written keys sorted, {@link #writePretty} with Jackson's default pretty printer
 * (so the files the node hashes are what they were). A value of another type is an error.
 */
public final class PlainJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private PlainJson() {
    }

    /** The value JSON text holds; trailing content after it is an error. */
    public static Object parse(String text) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return parseDocument(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a string does no I/O
        }
    }

    /** The value a JSON file holds. */
    public static Object read(Path file) throws IOException {
        try (JsonParser p = FACTORY.createParser(Files.newInputStream(file))) {
            return parseDocument(p);
        }
    }

    /** Compact JSON text, keys sorted. */
    public static String write(Object value) {
        return render(value, false);
    }

    /** Indented JSON text with a final newline, keys sorted: for files. */
    public static String writePretty(Object value) {
        return render(value, true) + "\n";
    }

    private static Object parseDocument(JsonParser p) throws IOException {
        if (p.nextToken() == null) {
            throw new JsonParseException(p, "no content: empty input");
        }
        Object value = value(p);
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "unexpected content after the JSON value: " + p.currentToken());
        }
        return value;
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    map.put(key, value(p));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    private static String render(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to a string does no I/O
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof CharSequence || v instanceof Character) {
            g.writeString(v.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).intValue());
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey() == null) {
                    throw new IllegalArgumentException("cannot render as JSON: a map with a null key");
                }
                sorted.put(e.getKey().toString(), e.getValue());
            }
            g.writeStartObject();
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Object[] a) {
            g.writeStartArray();
            for (Object o : a) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            throw new IllegalArgumentException("cannot render as JSON: a value of type " + v.getClass().getName());
        }
    }
}
