package org.slapgrid.recipes.template.jinja;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PyRange;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Values.Builtin;
import org.slapgrid.recipes.template.jinja.Values.Namespace;
import org.slapgrid.recipes.template.jinja.Values.PyCallable;
import org.slapgrid.recipes.template.jinja.Values.PyModule;
import org.slapgrid.recipes.template.jinja.Values.PyType;

/**
 * The names every template sees: Jinja2's globals (range, dict, namespace, cycler, joiner) and
 * the Python builtins slapos.recipe.template puts in its context (len, sorted, repr, int, str,
 * list, zip, enumerate..., plus {@code assert} and buildout's {@code dumps}).
 */
final class Builtins {

    private Builtins() {
    }

    static final Map<String, Object> GLOBALS;

    static {
        Map<String, Object> g = globals();
        GLOBALS = java.util.Collections.unmodifiableMap(g);
        g.put("six", Modules.module("six"));   // slapos.recipe.template gives six to every template
    }

    static void fn(Map<String, Object> g, String name, PyCallable body) {
        g.put(name, new Builtin(name, body));
    }

    private static void type(Map<String, Object> g, String name, PyCallable body) {
        g.put(name, new PyType(name, body));
    }

    static Object a(List<Object> args, int i) {
        if (i >= args.size()) {
            throw PyException.type("missing required argument " + (i + 1));
        }
        return Py.check(args.get(i));
    }

    private static Map<String, Object> globals() {
        Map<String, Object> g = new HashMap<>();
        type(g, "str", (args, kw) -> args.isEmpty() ? "" : Py.str(a(args, 0)));
        type(g, "int", (args, kw) -> args.isEmpty() ? 0L : args.size() > 1 ? parseInt(Py.str(a(args, 0)), (int) Py.toLong(a(args, 1))) : toInt(a(args, 0)));
        type(g, "float", (args, kw) -> args.isEmpty() ? 0.0 : toFloat(a(args, 0)));
        type(g, "bool", (args, kw) -> !args.isEmpty() && Py.truthy(a(args, 0)));
        type(g, "list", (args, kw) -> args.isEmpty() ? new PyList() : Py.toList(a(args, 0)));
        type(g, "tuple", (args, kw) -> args.isEmpty() ? new PyTuple() : new PyTuple(Py.toList(a(args, 0))));
        type(g, "set", (args, kw) -> {
            Set<Object> s = new LinkedHashSet<>();
            if (!args.isEmpty()) {
                Py.iterate(a(args, 0)).forEach(o -> s.add(Py.key(o)));
            }
            return s;
        });
        g.put("frozenset", g.get("set"));
        type(g, "dict", (args, kw) -> {
            Map<Object, Object> d = new LinkedHashMap<>();
            if (!args.isEmpty()) {
                Methods.putAll(d, a(args, 0));
            }
            kw.forEach(d::put);
            return d;
        });
        type(g, "range", (args, kw) -> {
            long start = 0;
            long step = 1;
            long stop;
            if (args.size() == 1) {
                stop = Py.toLong(a(args, 0));
            } else {
                start = Py.toLong(a(args, 0));
                stop = Py.toLong(a(args, 1));
                if (args.size() > 2) {
                    step = Py.toLong(a(args, 2));
                }
            }
            if (step == 0) {
                throw PyException.value("range() arg 3 must not be zero");
            }
            return new PyRange(start, stop, step);
        });
        fn(g, "len", (args, kw) -> Py.len(a(args, 0)));
        fn(g, "repr", (args, kw) -> Py.repr(a(args, 0)));
        fn(g, "abs", (args, kw) -> Py.isInt(a(args, 0)) ? (Object) Math.abs(Py.toLong(args.get(0))) : Math.abs(Py.toDouble(args.get(0))));
        fn(g, "sorted", (args, kw) -> sorted(Py.toList(a(args, 0)), kw.get("key"), Py.truthy(kw.getOrDefault("reverse", false))));
        fn(g, "reversed", (args, kw) -> {
            PyList l = Py.toList(a(args, 0));
            java.util.Collections.reverse(l);
            return Values.Generator.of("list_reverseiterator", l);
        });
        fn(g, "enumerate", (args, kw) -> {
            long i = args.size() > 1 ? Py.toLong(args.get(1)) : Py.toLong(kw.getOrDefault("start", 0L));
            PyList out = new PyList();
            for (Object o : Py.iterate(a(args, 0))) {
                out.add(new PyTuple(i++, o));
            }
            return Values.Generator.of("enumerate", out);
        });
        fn(g, "zip", (args, kw) -> {
            List<List<Object>> lists = new ArrayList<>();
            args.forEach(x -> lists.add(Py.toList(x)));
            int n = lists.stream().mapToInt(List::size).min().orElse(0);
            PyList out = new PyList();
            for (int i = 0; i < n; i++) {
                List<Object> row = new ArrayList<>();
                for (List<Object> l : lists) {
                    row.add(l.get(i));
                }
                out.add(new PyTuple(row));
            }
            return Values.Generator.of("zip", out);
        });
        fn(g, "map", (args, kw) -> {
            PyList out = new PyList();
            for (Object o : Py.iterate(a(args, 1))) {
                out.add(Methods.callValue(args.get(0), Methods.args(o), Map.of()));
            }
            return Values.Generator.of("map", out);
        });
        fn(g, "filter", (args, kw) -> {
            PyList out = new PyList();
            for (Object o : Py.iterate(a(args, 1))) {
                if (args.get(0) == null ? Py.truthy(o) : Py.truthy(Methods.callValue(args.get(0), Methods.args(o), Map.of()))) {
                    out.add(o);
                }
            }
            return Values.Generator.of("filter", out);
        });
        fn(g, "all", (args, kw) -> {
            for (Object o : Py.iterate(a(args, 0))) {
                if (!Py.truthy(o)) {
                    return false;
                }
            }
            return true;
        });
        fn(g, "any", (args, kw) -> {
            for (Object o : Py.iterate(a(args, 0))) {
                if (Py.truthy(o)) {
                    return true;
                }
            }
            return false;
        });
        fn(g, "sum", (args, kw) -> {
            Object total = args.size() > 1 ? args.get(1) : kw.getOrDefault("start", 0L);
            for (Object o : Py.iterate(a(args, 0))) {
                total = JinjaOps.add(total, o);
            }
            return total;
        });
        fn(g, "min", (args, kw) -> extreme(args, kw, false));
        fn(g, "max", (args, kw) -> extreme(args, kw, true));
        fn(g, "round", (args, kw) -> args.size() < 2 || args.get(1) == null
                ? (Object) roundToInt(a(args, 0)) : Py.isInt(a(args, 0)) ? args.get(0) : round(Py.toDouble(args.get(0)), Py.toLong(args.get(1))));
        fn(g, "divmod", (args, kw) -> new PyTuple(Py.floordiv(a(args, 0), a(args, 1)), JinjaOps.mod(args.get(0), args.get(1))));
        fn(g, "pow", (args, kw) -> Py.pow(a(args, 0), a(args, 1)));
        fn(g, "chr", (args, kw) -> new String(Character.toChars((int) Py.toLong(a(args, 0)))));
        fn(g, "ord", (args, kw) -> (long) Py.str(a(args, 0)).codePointAt(0));
        fn(g, "hex", (args, kw) -> signedBase(Py.toLong(a(args, 0)), 16, "0x"));
        fn(g, "oct", (args, kw) -> signedBase(Py.toLong(a(args, 0)), 8, "0o"));
        fn(g, "bin", (args, kw) -> signedBase(Py.toLong(a(args, 0)), 2, "0b"));
        fn(g, "format", (args, kw) -> Format.spec(a(args, 0), args.size() > 1 ? Py.str(args.get(1)) : ""));
        fn(g, "callable", (args, kw) -> a(args, 0) instanceof PyCallable);
        fn(g, "isinstance", (args, kw) -> isinstance(a(args, 0), a(args, 1)));
        fn(g, "getattr", (args, kw) -> {
            Object v = JinjaOps.getattr(a(args, 0), Py.str(a(args, 1)));
            return v instanceof Values.Undefined && args.size() > 2 ? args.get(2) : v;
        });
        fn(g, "hasattr", (args, kw) -> !(JinjaOps.getattr(a(args, 0), Py.str(a(args, 1))) instanceof Values.Undefined));
        fn(g, "iter", (args, kw) -> Py.iterate(a(args, 0)).iterator());
        fn(g, "next", (args, kw) -> {
            java.util.Iterator<?> it = (java.util.Iterator<?>) a(args, 0);
            if (it.hasNext()) {
                return it.next();
            }
            if (args.size() > 1) {
                return args.get(1);
            }
            throw new PyException("StopIteration", "");
        });
        fn(g, "namespace", (args, kw) -> {
            Namespace ns = new Namespace();
            if (!args.isEmpty()) {
                ((Map<?, ?>) a(args, 0)).forEach((k, v) -> ns.attrs.put(Py.str(k), v));
            }
            ns.attrs.putAll(kw);
            return ns;
        });
        fn(g, "cycler", (args, kw) -> new Cycler(new ArrayList<>(args)));
        fn(g, "joiner", (args, kw) -> {
            String sep = args.isEmpty() ? ", " : Py.str(args.get(0));
            boolean[] used = {false};
            return (PyCallable) (a2, k2) -> {
                if (!used[0]) {
                    used[0] = true;
                    return "";
                }
                return sep;
            };
        });
        // slapos.recipe.template: {{ assert(condition, message...) }} renders nothing or fails.
        fn(g, "assert", (args, kw) -> {
            if (Py.truthy(a(args, 0))) {
                return "";
            }
            throw new PyException("AssertionError", args.size() > 1 ? Py.str(args.get(1)) : "");
        });
        fn(g, "dumps", (args, kw) -> BuildoutDumps.dumps(a(args, 0)));
        return g;
    }

    /** {@code cycler(a, b)}: next() walks the items round. */
    static final class Cycler implements Values.HasAttributes {
        private final List<Object> items;
        private int pos;

        Cycler(List<Object> items) {
            this.items = items;
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "current" -> items.get(pos);
                case "next" -> (PyCallable) (a, k) -> {
                    Object v = items.get(pos);
                    pos = (pos + 1) % items.size();
                    return v;
                };
                case "reset" -> (PyCallable) (a, k) -> {
                    pos = 0;
                    return null;
                };
                default -> Values.MISSING;
            };
        }
    }

    private static String signedBase(long n, int radix, String prefix) {
        return (n < 0 ? "-" : "") + prefix + Long.toString(Math.abs(n), radix);
    }

    static boolean isinstance(Object v, Object type) {
        if (type instanceof PyTuple t) {
            for (Object o : t) {
                if (isinstance(v, o)) {
                    return true;
                }
            }
            return false;
        }
        if (!(type instanceof PyType t)) {
            throw PyException.type("isinstance() arg 2 must be a type or tuple of types");
        }
        String name = Py.typeName(v);
        return name.equals(t.name()) || t.name().equals("int") && name.equals("bool")
                || t.name().equals("set") && name.equals("set");
    }

    static List<Object> sorted(List<Object> items, Object key, boolean reverse) {
        List<Object[]> keyed = new ArrayList<>();
        for (Object o : items) {
            keyed.add(new Object[] {key == null ? o : Methods.callValue(key, Methods.args(o), Map.of()), o});
        }
        java.util.Comparator<Object[]> c = (x, y) -> Py.compare(x[0], y[0], "<");
        keyed.sort(reverse ? c.reversed() : c);
        PyList out = new PyList();
        keyed.forEach(k -> out.add(k[1]));
        return out;
    }

    private static Object extreme(List<Object> args, Map<String, Object> kw, boolean max) {
        List<Object> items = args.size() == 1 ? Py.toList(args.get(0)) : args;
        Object key = kw.get("key");
        if (items.isEmpty()) {
            if (kw.containsKey("default")) {
                return kw.get("default");
            }
            throw PyException.value((max ? "max" : "min") + "() arg is an empty sequence");
        }
        Object best = items.get(0);
        Object bestKey = key == null ? best : Methods.callValue(key, Methods.args(best), Map.of());
        for (Object o : items.subList(1, items.size())) {
            Object k = key == null ? o : Methods.callValue(key, Methods.args(o), Map.of());
            int c = Py.compare(k, bestKey, max ? ">" : "<");
            if (max ? c > 0 : c < 0) {
                best = o;
                bestKey = k;
            }
        }
        return best;
    }

    static long toInt(Object v) {
        if (Py.isInt(v)) {
            return Py.toLong(v);
        }
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw PyException.value("cannot convert float " + Py.floatRepr(d) + " to integer");
            }
            return (long) (double) d;
        }
        if (Py.isStr(v)) {
            return parseInt(Py.str(v), 10);
        }
        throw PyException.type("int() argument must be a string, a bytes-like object or a real number, not '" + Py.typeName(v) + "'");
    }

    private static long parseInt(String text, int base) {
        String s = text.strip().replace("_", "");
        try {
            String digits = s;
            boolean negative = digits.startsWith("-");
            if (negative || digits.startsWith("+")) {
                digits = digits.substring(1);
            }
            if (base == 0 || base == 16 && digits.toLowerCase().startsWith("0x")) {
                base = digits.toLowerCase().startsWith("0x") ? 16 : digits.toLowerCase().startsWith("0o") ? 8
                        : digits.toLowerCase().startsWith("0b") ? 2 : 10;
                if (base != 10) {
                    digits = digits.substring(2);
                }
            }
            long n = Long.parseLong(digits, base);
            return negative ? -n : n;
        } catch (NumberFormatException e) {
            throw PyException.value("invalid literal for int() with base " + base + ": " + Py.repr(text));
        }
    }

    static double toFloat(Object v) {
        if (Py.isNumber(v)) {
            return Py.toDouble(v);
        }
        if (Py.isStr(v)) {
            String s = Py.str(v).strip().toLowerCase();
            switch (s) {
                case "inf", "+inf", "infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-inf", "-infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                case "nan" -> {
                    return Double.NaN;
                }
                default -> {
                }
            }
            try {
                if (s.isEmpty() || s.endsWith("d") || s.endsWith("f") || s.contains("x")) {
                    throw new NumberFormatException();
                }
                return Double.parseDouble(s.replace("_", ""));
            } catch (NumberFormatException e) {
                throw PyException.value("could not convert string to float: " + Py.repr(Py.str(v)));
            }
        }
        throw PyException.type("float() argument must be a string or a real number, not '" + Py.typeName(v) + "'");
    }

    private static long roundToInt(Object v) {
        if (Py.isInt(v)) {
            return Py.toLong(v);
        }
        return new BigDecimal(Py.toDouble(v)).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Python's round(x, n) on the exact binary value, ties to even. */
    static double round(double d, long digits) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d;
        }
        double r = new BigDecimal(d).setScale((int) digits, RoundingMode.HALF_EVEN).doubleValue();
        return r == 0 ? Math.copySign(0.0, d) : r;   // round(-0.4) is -0.0 in Python
    }


}
