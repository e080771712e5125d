package org.slapgrid.recipes.template;

import java.util.Collection;
import java.util.Map;

/**
 * Python's {@code repr} of template values, so {@code {{ some_dict }}} renders as Jinja2 would
 * ({@code {'a': 1, 'b': True}}) rather than as Java's {@code {a=1, b=true}}.
 */
final class PythonRepr {

    private PythonRepr() {
    }

    static String of(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        if (value == null) {
            out.append("None");
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof CharSequence s) {
            quote(out, s.toString());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                append(out, e.getKey());
                out.append(": ");
                append(out, e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                append(out, item);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    private static void quote(StringBuilder out, String s) {
        char q = s.contains("'") && !s.contains("\"") ? '"' : '\'';
        out.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == q) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
        }
        out.append(q);
    }
}
