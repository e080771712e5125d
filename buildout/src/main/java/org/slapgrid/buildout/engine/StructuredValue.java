package org.slapgrid.buildout.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slapgrid.buildout.spi.PlainJson;

/**
 * The text of a structured option value a recipe sets (a list, a map): JSON with sorted keys.
 * A class of its own so that JSON machinery loads only when a recipe sets such a value, not with
 * every section (an unchanged re-run of plain parts never needs it); jackson-core's streaming
 * generator ({@link PlainJson}), not databind, as every buildout child sets some.
 */
final class StructuredValue {

    private StructuredValue() {
    }

    /** Structured values as JSON with sorted keys; sets as sorted arrays, so the text is stable. */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return PlainJson.write(stable(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot render option value " + value + ": " + e.getMessage(), e);
        }
    }

    private static Object stable(Object value) {
        if (value instanceof Set<?> s) {
            List<Object> items = new ArrayList<>();
            for (Object o : s) {
                items.add(stable(o));
            }
            items.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
            return items;
        }
        if (value instanceof Collection<?> c) {
            List<Object> items = new ArrayList<>();
            for (Object o : c) {
                items.add(stable(o));
            }
            return items;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), stable(v)));
            return out;
        }
        return value;
    }
}
