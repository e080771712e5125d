package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.slapgrid.buildout.python.DictView;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PyRange;
import org.slapgrid.recipes.support.Json;

/**
 * Python's {@code json.dumps} byte for byte (separators {@code ', '}/{@code ': '}, or {@code ','}
 * and newlines with {@code indent}; ensure_ascii; sort_keys; floats as repr) and {@code json.loads}.
 * Jackson writes its own spacing and number forms, hence this writer.
 */
final class PyJson {

    private PyJson() {
    }

    record Options(String indent, String itemSeparator, String keySeparator, boolean sortKeys, boolean ensureAscii) {
        static Options of(Map<String, Object> kw) {
            Object indent = kw.get("indent");
            String ind = indent == null ? null : Py.isInt(indent) ? " ".repeat((int) Py.toLong(indent)) : Py.str(indent);
            String item = ind == null ? ", " : ",";
            String key = ": ";
            Object separators = kw.get("separators");
            if (separators != null) {
                List<Object> seps = Py.toList(separators);
                item = Py.str(seps.get(0));
                key = Py.str(seps.get(1));
            }
            return new Options(ind, item, key, Py.truthy(kw.getOrDefault("sort_keys", false)),
                    Py.truthy(kw.getOrDefault("ensure_ascii", true)));
        }
    }

    static String dumps(Object value, Options options) {
        StringBuilder out = new StringBuilder();
        write(value, options, out, 0);
        return out.toString();
    }

    private static void write(Object v, Options o, StringBuilder out, int level) {
        Py.check(v);
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (Py.isInt(v)) {
            out.append(v instanceof Boolean ? Py.toLong(v) : v);
        } else if (v instanceof Double d) {
            out.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Py.floatRepr(d));
        } else if (Py.isStr(v)) {
            string(Py.str(v), o.ensureAscii(), out);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            List<Map.Entry<String, Object>> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                entries.add(Map.entry(keyText(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
            }
            if (o.sortKeys()) {
                entries.sort((a, b) -> Py.compare(a.getKey(), b.getKey(), "<"));
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : entries) {
                if (!first) {
                    out.append(o.itemSeparator());
                }
                first = false;
                newline(o, out, level + 1);
                string(e.getKey(), o.ensureAscii(), out);
                out.append(o.keySeparator());
                write(e.getValue() == NULL ? null : e.getValue(), o, out, level + 1);
            }
            newline(o, out, level);
            out.append('}');
        } else if (v instanceof Collection<?> || v instanceof PyRange || v instanceof DictView) {
            if (!(v instanceof List<?>)) {
                if (v instanceof java.util.Set) {
                    throw PyException.type("Object of type set is not JSON serializable");
                }
                if (!(v instanceof PyRange || v instanceof DictView)) {
                    throw PyException.type("Object of type " + Py.typeName(v) + " is not JSON serializable");
                }
                throw PyException.type("Object of type " + Py.typeName(v) + " is not JSON serializable");
            }
            List<?> l = (List<?>) v;
            if (l.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(o.itemSeparator());
                }
                newline(o, out, level + 1);
                write(l.get(i), o, out, level + 1);
            }
            newline(o, out, level);
            out.append(']');
        } else {
            throw PyException.type("Object of type " + Py.typeName(v) + " is not JSON serializable");
        }
    }

    private static final Object NULL = new Object();

    private static String keyText(Object k) {
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (Py.isStr(k)) {
            return Py.str(k);
        }
        if (Py.isNumber(k)) {
            return k instanceof Double d ? Py.floatRepr(d) : Long.toString(Py.toLong(k));
        }
        throw PyException.type("keys must be str, int, float, bool or None, not " + Py.typeName(k));
    }

    private static void newline(Options o, StringBuilder out, int level) {
        if (o.indent() != null) {
            out.append('\n').append(o.indent().repeat(level));
        }
    }

    static void string(String s, boolean ascii, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ascii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** json.loads: objects keep their order (dict), integers stay ints, other numbers floats. */
    static Object loads(String text) {
        try {
            return fromJackson(Json.parse(text));
        } catch (JsonProcessingException e) {
            throw new PyException("JSONDecodeError", e.getOriginalMessage());
        }
    }

    static Object fromJackson(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, fromJackson(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            PyList out = new PyList();
            l.forEach(x -> out.add(fromJackson(x)));
            return out;
        }
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof java.math.BigInteger b) {
            return Py.normalize(b);
        }
        if (v instanceof Number n && !(v instanceof Long) && !(v instanceof Double)) {
            return n.doubleValue();
        }
        return v;
    }
}
