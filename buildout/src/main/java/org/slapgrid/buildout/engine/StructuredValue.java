package org.slapgrid.buildout.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The text of a structured option value a recipe sets (a list, a map): JSON with sorted keys.
 * A class of its own so that Jackson loads only when a recipe sets such a value, not with every
 * section (an unchanged re-run of plain parts never needs it).
 */
final class StructuredValue {

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private StructuredValue() {
    }

    /** Structured values as JSON with sorted keys; sets as sorted arrays, so the text is stable. */
    static String render(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(stable(value));
        } catch (JsonProcessingException e) {
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
