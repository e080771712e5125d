package org.slapgrid.buildout.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The values of the Python subset that section conditions use, and Python's rules for them:
 * truth, equality, ordering (tuples element-wise, marker versions numerically), {@code in},
 * attributes, indexing and slicing.
 */
final class PythonValues {

    private PythonValues() {
    }

    /** A string from a PEP 508 marker variable: compared as a version when both sides are versions. */
    record MarkerString(String value) {
        @Override
        public String toString() {
            return value;
        }
    }

    /** A Python function of the subset. */
    @FunctionalInterface
    interface PyFunction extends Function<List<Object>, Object> {
    }

    /** Python's None (Map.copyOf refuses null values). */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** An error while evaluating: reported with the file and line of the header. */
    static final class EvalError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvalError(String message) {
            super(message);
        }
    }

    static boolean truthy(Object o) {
        if (o == null || o == NONE) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Long l) {
            return l != 0;
        }
        if (o instanceof String s) {
            return !s.isEmpty();
        }
        if (o instanceof MarkerString m) {
            return !m.value().isEmpty();
        }
        if (o instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (o instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    static Object plain(Object o) {
        if (o instanceof MarkerString m) {
            return m.value();
        }
        if (o instanceof Boolean b) {
            return b ? 1L : 0L;   // Python: True == 1
        }
        return o;
    }

    static boolean equal(Object a, Object b) {
        return Objects.equals(plain(a), plain(b));
    }

    static int compare(Object a, Object b) {
        if ((a instanceof MarkerString || b instanceof MarkerString) && isVersion(a) && isVersion(b)) {
            return compareVersions(plain(a).toString(), plain(b).toString());
        }
        Object x = plain(a);
        Object y = plain(b);
        if (x instanceof Long l && y instanceof Long m) {
            return Long.compare(l, m);
        }
        if (x instanceof String s && y instanceof String t) {
            return s.compareTo(t);
        }
        if (x instanceof List<?> l && y instanceof List<?> m) {
            for (int i = 0; i < Math.min(l.size(), m.size()); i++) {
                if (!equal(l.get(i), m.get(i))) {
                    return compare(l.get(i), m.get(i));
                }
            }
            return Integer.compare(l.size(), m.size());
        }
        throw new EvalError("cannot compare " + repr(a) + " and " + repr(b));
    }

    private static boolean isVersion(Object o) {
        Object p = plain(o);
        return p instanceof String s && s.matches("\\d+(\\.\\d+)*");
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long u = i < x.length ? Long.parseLong(x[i]) : 0;
            long v = i < y.length ? Long.parseLong(y[i]) : 0;
            if (u != v) {
                return Long.compare(u, v);
            }
        }
        return 0;
    }

    static boolean contains(Object container, Object item) {
        Object c = plain(container);
        if (c instanceof String s) {
            if (!(plain(item) instanceof String t)) {
                throw new EvalError("'in <string>' requires string as left operand");
            }
            return s.contains(t);
        }
        if (c instanceof List<?> l) {
            return l.stream().anyMatch(e -> equal(e, item));
        }
        if (c instanceof Map<?, ?> m) {
            return m.containsKey(plain(item));
        }
        throw new EvalError("argument of type " + typeName(container) + " is not iterable");
    }

    static String typeName(Object o) {
        if (o instanceof String || o instanceof MarkerString) {
            return "str";
        }
        if (o instanceof Long) {
            return "int";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof List) {
            return "tuple";
        }
        if (o instanceof PyFunction) {
            return "function";
        }
        return o == NONE || o == null ? "NoneType" : "module";
    }

    static String repr(Object o) {
        if (o instanceof String || o instanceof MarkerString) {
            return "'" + o + "'";
        }
        return String.valueOf(o);
    }

    static boolean applyComparison(String op, Object l, Object r) {
        return switch (op) {
            case "==" -> equal(l, r);
            case "!=" -> !equal(l, r);
            case "<" -> compare(l, r) < 0;
            case "<=" -> compare(l, r) <= 0;
            case ">" -> compare(l, r) > 0;
            case ">=" -> compare(l, r) >= 0;
            case "in" -> contains(r, l);
            case "not in" -> !contains(r, l);
            case "is" -> l == r || (l instanceof Boolean && l.equals(r));
            case "is not" -> !(l == r || (l instanceof Boolean && l.equals(r)));
            default -> throw new EvalError("unsupported operator " + op);
        };
    }

    static Object attribute(Object target, String name) {
        if (target instanceof Map<?, ?> m && m.containsKey(name)) {
            return m.get(name);
        }
        if ((target instanceof String || target instanceof MarkerString) && name.equals("startswith")) {
            String s = target.toString();
            return (PyFunction) a -> s.startsWith(PythonGlobals.str(a, 0));
        }
        if ((target instanceof String || target instanceof MarkerString) && name.equals("endswith")) {
            String s = target.toString();
            return (PyFunction) a -> s.endsWith(PythonGlobals.str(a, 0));
        }
        throw new EvalError(typeName(target) + " has no attribute '" + name + "' (not supported here)");
    }

    static Object index(Object target, Object index) {
        if (!(index instanceof Long i)) {
            throw new EvalError("indices must be integers");
        }
        if (target instanceof List<?> l) {
            int k = (int) (i < 0 ? l.size() + i : i);
            if (k < 0 || k >= l.size()) {
                throw new EvalError("tuple index out of range");
            }
            return l.get(k);
        }
        if (target instanceof String || target instanceof MarkerString) {
            String s = target.toString();
            int k = (int) (i < 0 ? s.length() + i : i);
            if (k < 0 || k >= s.length()) {
                throw new EvalError("string index out of range");
            }
            return String.valueOf(s.charAt(k));
        }
        throw new EvalError("'" + typeName(target) + "' object is not subscriptable");
    }

    static Object slice(Object target, Object lower, Object upper) {
        int size;
        if (target instanceof List<?> l) {
            size = l.size();
        } else if (target instanceof String || target instanceof MarkerString) {
            size = target.toString().length();
        } else {
            throw new EvalError("'" + typeName(target) + "' object is not subscriptable");
        }
        int lo = bound(lower, 0, size);
        int hi = Math.max(lo, bound(upper, size, size));
        return target instanceof List<?> l ? List.copyOf(l.subList(lo, hi)) : target.toString().substring(lo, hi);
    }

    private static int bound(Object value, int dflt, int size) {
        if (value == null) {
            return dflt;
        }
        if (!(value instanceof Long l)) {
            throw new EvalError("slice indices must be integers");
        }
        long v = l < 0 ? size + l : l;
        return (int) Math.max(0, Math.min(size, v));
    }
}
