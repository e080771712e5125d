package org.slapgrid.master.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Bounds a parameter map before it is stored: nesting depth, key length, encoded size. A map
 * past a bound is refused with 422 {@code limit_exceeded}, naming the field and the limit, so one
 * instance's document can never grow too deep to encode or too large to serve.
 */
final class ParameterCheck {
    private ParameterCheck() {
    }

    /** Refuses {@code params} (the field {@code field}) past {@code limits}; {@code maxBytes} bounds its JSON. */
    static void check(String field, Map<String, Object> params, Limits limits, int maxBytes) {
        int depth = depth(params, limits.maxDepth() + 1);
        if (depth > limits.maxDepth()) {
            throw limit(field + " is nested more than " + limits.maxDepth() + " levels deep (limit " + field + ".maxDepth = "
                    + limits.maxDepth() + ")");
        }
        String longKey = longKey(params, limits.maxKeyLength());
        if (longKey != null) {
            throw limit(field + " has a key of " + longKey.length() + " characters ('" + Validate.clip(longKey)
                    + "'); the limit is " + limits.maxKeyLength() + " (" + field + ".maxKeyLength)");
        }
        int bytes = InstanceRows.json(params).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw limit(field + " takes " + bytes + " bytes as JSON; the limit is " + maxBytes + " (" + field + ".maxBytes)");
        }
    }

    static ApiException limit(String message) {
        return new ApiException(422, "limit_exceeded", message);
    }

    /** Nesting depth of a value (a scalar is 0, a map or list 1 + its deepest element), counted up to {@code stop}. */
    static int depth(Object value, int stop) {
        if (stop <= 0) {
            return 0;
        }
        int inner = 0;
        if (value instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                inner = Math.max(inner, depth(v, stop - 1));
            }
            return 1 + inner;
        }
        if (value instanceof List<?> l) {
            for (Object v : l) {
                inner = Math.max(inner, depth(v, stop - 1));
            }
            return 1 + inner;
        }
        return 0;
    }

    private static String longKey(Object value, int max) {
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (k.length() > max) {
                    return k;
                }
                String inner = longKey(e.getValue(), max);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (value instanceof List<?> l) {
            for (Object v : l) {
                String inner = longKey(v, max);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
