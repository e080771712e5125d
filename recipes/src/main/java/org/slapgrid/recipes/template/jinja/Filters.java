package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.buildout.python.DictView;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PyRange;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Values.HasAttributes;
import org.slapgrid.recipes.template.jinja.Values.Markup;
import org.slapgrid.recipes.template.jinja.Values.Undefined;

/** Jinja2 3.1's builtin filters, with their arguments and defaults. */
final class Filters {

    private Filters() {
    }

    private static final Set<String> NAMES = Set.of("abs", "attr", "batch", "capitalize", "center", "count",
            "d", "default", "dictsort", "e", "escape", "first", "float", "forceescape", "format", "groupby",
            "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint",
            "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort",
            "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode",
            "wordcount", "xmlattr");

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    private static Object opt(List<Object> args, Map<String, Object> kw, int i, String name, Object fallback) {
        if (i < args.size()) {
            return args.get(i);
        }
        return kw.containsKey(name) ? kw.get(name) : fallback;
    }

    /** A (grouper, list) pair of groupby, reachable by index and by name. */
    static final class Group extends PyTuple implements HasAttributes {
        Group(Object grouper, Object list) {
            super(grouper, list);
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "grouper" -> get(0);
                case "list" -> get(1);
                default -> Values.MISSING;
            };
        }
    }

    static String escape(Object v) {
        if (v instanceof Markup m) {
            return m.text();
        }
        String s = Py.str(v);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&#34;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Jinja2's attribute lookup for filters: {@code 'a.b'} and {@code 'a.0'} paths. */
    private static Object attribute(Object item, Object attr) {
        if (attr == null) {
            return item;
        }
        if (Py.isInt(attr)) {
            return JinjaOps.getitem(item, attr);
        }
        Object v = item;
        for (String part : Py.str(attr).split("\\.")) {
            v = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? JinjaOps.getitem(v, Long.parseLong(part)) : JinjaOps.getitem(v, part);
        }
        return v;
    }

    private static Object sortKey(Object v, boolean caseSensitive) {
        return !caseSensitive && Py.isStr(v) ? Py.str(v).toLowerCase() : v;
    }

    static Object apply(String name, Object v, List<Object> args, Map<String, Object> kw, Scope scope, Renderer r) {
        if (name.equals("default") || name.equals("d")) {
            Object dflt = opt(args, kw, 0, "default_value", "");
            boolean bool = Py.truthy(opt(args, kw, 1, "boolean", false));
            return v instanceof Undefined || (bool && !Py.truthy(v)) ? dflt : v;
        }
        if (name.equals("items") && v instanceof Undefined) {
            return Values.Generator.of("generator", List.of());   // Jinja2: items of undefined is empty
        }
        Py.check(v);
        switch (name) {
            case "abs":
                return Py.isInt(v) ? (Object) Math.abs(Py.toLong(v)) : Math.abs(Py.toDouble(v));
            case "attr": {
                // getattr only: a dict's keys are items, not attributes.
                String attr = Py.str(args.get(0));
                return v instanceof Map && !Methods.has(v, attr) ? Undefined.attribute(v, attr) : JinjaOps.getattr(v, attr);
            }
            case "batch": {
                long n = Py.toLong(args.get(0));
                Object fill = opt(args, kw, 1, "fill_with", null);
                boolean hasFill = args.size() > 1 || kw.containsKey("fill_with");
                PyList out = new PyList();
                PyList current = new PyList();
                for (Object o : Py.iterate(v)) {
                    if (current.size() == n) {
                        out.add(current);
                        current = new PyList();
                    }
                    current.add(o);
                }
                if (!current.isEmpty()) {
                    while (hasFill && current.size() < n) {
                        current.add(fill);
                    }
                    out.add(current);
                }
                return Values.Generator.of("generator", out);
            }
            case "capitalize":
                return Methods.string(Py.str(v), "capitalize", List.of(), Map.of());
            case "center":
                return Methods.string(Py.str(v), "center", List.of(opt(args, kw, 0, "width", 80L)), Map.of());
            case "count", "length":
                return Py.len(v);
            case "dictsort": {
                boolean cs = Py.truthy(opt(args, kw, 0, "case_sensitive", false));
                String by = Py.str(opt(args, kw, 1, "by", "key"));
                boolean reverse = Py.truthy(opt(args, kw, 2, "reverse", false));
                List<Object> items = new ArrayList<>();
                if (!(v instanceof Map)) {
                    throw new PyException("AttributeError", JinjaOps.objectTypeRepr(v) + " has no attribute 'items'");
                }
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    items.add(new PyTuple(e.getKey(), e.getValue()));
                }
                int index = by.equals("key") ? 0 : 1;
                items.sort((a, b) -> Py.compare(sortKey(((PyTuple) a).get(index), cs), sortKey(((PyTuple) b).get(index), cs), "<"));
                if (reverse) {
                    java.util.Collections.reverse(items);
                }
                return new PyList(items);
            }
            case "e", "escape":
                return new Markup(escape(v));
            case "forceescape":
                return new Markup(escape(Py.str(v)));
            case "first": {
                for (Object o : Py.iterate(v)) {
                    return o;
                }
                return new Undefined("No first item, sequence was empty.");
            }
            case "last": {
                List<Object> l = Py.toList(v);
                return l.isEmpty() ? new Undefined("No last item, sequence was empty.") : l.get(l.size() - 1);
            }
            case "float": {
                Object dflt = opt(args, kw, 0, "default", 0.0);
                try {
                    return Builtins.toFloat(v);
                } catch (PyException e) {
                    return dflt;
                }
            }
            case "int": {
                Object dflt = opt(args, kw, 0, "default", 0L);
                long base = Py.toLong(opt(args, kw, 1, "base", 10L));
                if (Py.isStr(v)) {
                    String s = Py.str(v).strip().replace("_", "");
                    try {
                        if (base == 16 && (s.startsWith("0x") || s.startsWith("0X"))) {
                            s = s.substring(2);
                        }
                        return Long.parseLong(s, (int) base);
                    } catch (NumberFormatException e) {
                        try {
                            return (long) Double.parseDouble(s);
                        } catch (NumberFormatException f) {
                            return dflt;
                        }
                    }
                }
                try {
                    return Builtins.toInt(v);
                } catch (PyException e) {
                    return dflt;
                }
            }
            case "format":
                return Format.percent(Py.str(v), kw.isEmpty() ? new PyTuple(args) : new LinkedHashMap<Object, Object>(kw));
            case "groupby": {
                Object attr = opt(args, kw, 0, "attribute", null);
                Object dflt = opt(args, kw, 1, "default", null);
                boolean cs = Py.truthy(opt(args, kw, 2, "case_sensitive", false));
                List<Object> items = Py.toList(v);
                List<Object[]> keyed = new ArrayList<>();
                for (Object o : items) {
                    Object k = attribute(o, attr);
                    if (k instanceof Undefined && dflt != null) {
                        k = dflt;
                    }
                    keyed.add(new Object[] {sortKey(Py.check(k), cs), k, o});
                }
                keyed.sort((a, b) -> Py.compare(a[0], b[0], "<"));
                PyList out = new PyList();
                Object currentKey = Values.MISSING;
                PyList group = null;
                for (Object[] k : keyed) {
                    if (currentKey == Values.MISSING || !Py.eq(currentKey, k[0])) {
                        group = new PyList();
                        out.add(new Group(cs ? k[1] : k[0], group));
                        currentKey = k[0];
                    }
                    group.add(k[2]);
                }
                return out;
            }
            case "indent": {
                Object width = opt(args, kw, 0, "width", 4L);
                boolean first = Py.truthy(opt(args, kw, 1, "first", false));
                boolean blank = Py.truthy(opt(args, kw, 2, "blank", false));
                String indention = Py.isStr(width) ? Py.str(width) : " ".repeat((int) Py.toLong(width));
                if (v instanceof List && !(v instanceof PyTuple)) {
                    throw new PyException("AttributeError", "'list' object has no attribute 'splitlines'");
                }
                if (!Py.isStr(v)) {
                    throw PyException.type("unsupported operand type(s) for +=: '" + Py.typeName(v) + "' and 'str'");
                }
                String s = Py.str(v) + "\n";
                List<Object> lines = (List<Object>) Methods.string(s, "splitlines", List.of(), Map.of());
                String rv;
                if (blank) {
                    rv = String.join("\n" + indention, lines.stream().map(Py::str).toList());
                } else {
                    StringBuilder b = new StringBuilder(Py.str(lines.get(0)));
                    if (lines.size() > 1) {
                        b.append('\n');
                        for (int i = 1; i < lines.size(); i++) {
                            if (i > 1) {
                                b.append('\n');
                            }
                            String line = Py.str(lines.get(i));
                            b.append(line.isEmpty() ? line : indention + line);
                        }
                    }
                    rv = b.toString();
                }
                return first ? indention + rv : rv;
            }
            case "items":
                return Values.Generator.of("generator", Py.toList(new DictView("items", castMap(v))));
            case "join": {
                String sep = Py.str(opt(args, kw, 0, "d", ""));
                Object attr = opt(args, kw, 1, "attribute", null);
                StringBuilder b = new StringBuilder();
                boolean first = true;
                for (Object o : Py.iterate(v)) {
                    if (!first) {
                        b.append(sep);
                    }
                    first = false;
                    b.append(Py.str(attribute(o, attr)));
                }
                return b.toString();
            }
            case "list":
                return Py.toList(v);
            case "lower":
                return Py.str(v).toLowerCase(java.util.Locale.ROOT);
            case "upper":
                return Py.str(v).toUpperCase(java.util.Locale.ROOT);
            case "title":
                return title(Py.str(v));
            case "map": {
                PyList out = new PyList();
                if (kw.containsKey("attribute")) {
                    Object dflt = kw.get("default");
                    for (Object o : Py.truthy(v) ? Py.iterate(v) : List.of()) {
                        Object a = attribute(o, kw.get("attribute"));
                        out.add(a instanceof Undefined && kw.containsKey("default") ? dflt : a);
                    }
                    return Values.Generator.of("generator", out);
                }
                String filter = Py.str(args.get(0));
                if (!exists(filter)) {
                    throw new PyException("TemplateRuntimeError", "No filter named '" + filter + "'.");
                }
                List<Object> rest = args.subList(1, args.size());
                for (Object o : Py.truthy(v) ? Py.iterate(v) : List.of()) {   // Jinja2: a false value maps to nothing
                    out.add(apply(filter, o, rest, kw, scope, r));
                }
                return Values.Generator.of("generator", out);
            }
            case "max", "min": {
                boolean cs = Py.truthy(opt(args, kw, 0, "case_sensitive", false));
                Object attr = opt(args, kw, 1, "attribute", null);
                Object best = Values.MISSING;
                for (Object o : Py.iterate(v)) {
                    if (best == Values.MISSING) {
                        best = o;
                        continue;
                    }
                    int c = Py.compare(sortKey(attribute(o, attr), cs), sortKey(attribute(best, attr), cs), "<");
                    if (name.equals("max") ? c > 0 : c < 0) {
                        best = o;
                    }
                }
                return best == Values.MISSING ? new Undefined("No aggregated item, sequence was empty.") : best;
            }
            case "pprint":
                return Py.repr(v);
            case "select", "reject", "selectattr", "rejectattr": {
                boolean attrMode = name.endsWith("attr");
                Object attr = attrMode ? args.get(0) : null;
                int testAt = attrMode ? 1 : 0;
                String test = testAt < args.size() ? Py.str(args.get(testAt)) : null;
                List<Object> testArgs = testAt + 1 <= args.size() ? args.subList(Math.min(testAt + 1, args.size()), args.size()) : List.of();
                boolean keep = name.startsWith("select");
                if (test != null && !Tests.exists(test)) {
                    throw new PyException("TemplateRuntimeError", "No test named '" + test + "'.");
                }
                PyList out = new PyList();
                for (Object o : Py.truthy(v) ? Py.iterate(v) : List.of()) {   // Jinja2: a false value selects nothing
                    Object subject = attrMode ? attribute(o, attr) : o;
                    boolean ok = test == null ? Py.truthy(subject) : Tests.apply(test, subject, testArgs, Map.of(), scope);
                    if (ok == keep) {
                        out.add(o);
                    }
                }
                return Values.Generator.of("generator", out);
            }
            case "replace": {
                Object count = opt(args, kw, 2, "count", null);
                List<Object> a = new ArrayList<>(List.of(Py.str(args.get(0)), Py.str(args.get(1))));
                if (count != null) {
                    a.add(count);
                }
                return Methods.string(Py.str(v), "replace", a, Map.of());
            }
            case "reverse": {
                if (!Py.isStr(v) && !(v instanceof Iterable) && !(v instanceof Map)) {
                    throw new PyException("FilterArgumentError", "argument must be iterable");
                }
                if (Py.isStr(v)) {
                    return new StringBuilder(Py.str(v)).reverse().toString();
                }
                PyList l = Py.toList(v);
                java.util.Collections.reverse(l);
                return v instanceof List || v instanceof PyRange ? Values.Generator.of("list_reverseiterator", l) : l;
            }
            case "round": {
                long precision = Py.toLong(opt(args, kw, 0, "precision", 0L));
                String method = Py.str(opt(args, kw, 1, "method", "common"));
                double d = Py.toDouble(v);
                if (method.equals("common")) {
                    // Python's round(int, n) is an int.
                    return Py.isInt(v) ? (Object) Py.normalize(Py.big(v)) : Builtins.round(d, precision);
                }
                double f = Math.pow(10, precision);
                return (method.equals("ceil") ? Math.ceil(d * f) : Math.floor(d * f)) / f;
            }
            case "safe":
                return v instanceof Markup ? v : new Markup(Py.str(v));
            case "slice": {
                int slices = (int) Py.toLong(args.get(0));
                Object fill = opt(args, kw, 1, "fill_with", null);
                boolean hasFill = args.size() > 1 || kw.containsKey("fill_with");
                List<Object> seq = Py.toList(v);
                int length = seq.size();
                int perSlice = length / slices;
                int withExtra = length % slices;
                int offset = 0;
                PyList out = new PyList();
                for (int i = 0; i < slices; i++) {
                    int start = offset + i * perSlice;
                    if (i < withExtra) {
                        offset++;
                    }
                    int end = offset + (i + 1) * perSlice;
                    PyList tmp = new PyList(seq.subList(start, end));
                    if (hasFill && i >= withExtra) {
                        tmp.add(fill);
                    }
                    out.add(tmp);
                }
                return Values.Generator.of("generator", out);
            }
            case "sort": {
                boolean reverse = Py.truthy(opt(args, kw, 0, "reverse", false));
                boolean cs = Py.truthy(opt(args, kw, 1, "case_sensitive", false));
                Object attr = opt(args, kw, 2, "attribute", null);
                List<Object> l = Py.toList(v);
                // attribute='a,b': sorted by a, then b (Jinja2's make_multi_attrgetter).
                List<Object> attrs = attr != null && Py.isStr(attr) && Py.str(attr).contains(",")
                        ? List.of((Object[]) Py.str(attr).split(",")) : java.util.Collections.singletonList(attr);
                Comparator<Object> c = (a, b) -> {
                    for (Object at : attrs) {
                        int cmp = Py.compare(sortKey(attribute(a, at), cs), sortKey(attribute(b, at), cs), "<");
                        if (cmp != 0) {
                            return cmp;
                        }
                    }
                    return 0;
                };
                l.sort(reverse ? c.reversed() : c);
                return new PyList(l);
            }
            case "string":
                return Py.str(v);
            case "striptags": {
                String s = Py.str(v).replaceAll("(?s)<!--.*?-->|<[^>]*>", "");
                return String.join(" ", Methods.split(s, null, -1).stream().map(Py::str).toList())
                        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&#34;", "\"").replace("&#39;", "'");
            }
            case "sum": {
                Object attr = opt(args, kw, 0, "attribute", null);
                Object total = opt(args, kw, 1, "start", 0L);
                for (Object o : Py.iterate(v)) {
                    total = JinjaOps.add(total, attribute(o, attr));
                }
                return total;
            }
            case "tojson": {
                Object indent = opt(args, kw, 0, "indent", null);
                Map<String, Object> options = new LinkedHashMap<>();
                options.put("sort_keys", true);
                if (indent != null) {
                    options.put("indent", indent);
                }
                String json = PyJson.dumps(v, PyJson.Options.of(options));
                return new Markup(json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027"));
            }
            case "trim": {
                Object chars = opt(args, kw, 0, "chars", null);
                return Methods.strip(Py.str(v), chars == null ? null : Py.str(chars), true, true);
            }
            case "truncate": {
                String s = Py.str(v);
                long length = Py.toLong(opt(args, kw, 0, "length", 255L));
                boolean killwords = Py.truthy(opt(args, kw, 1, "killwords", false));
                String end = Py.str(opt(args, kw, 2, "end", "..."));
                Object leewayArg = opt(args, kw, 3, "leeway", null);
                long leeway = leewayArg == null ? 5 : Py.toLong(leewayArg);
                if (s.length() <= length + leeway) {
                    return s;
                }
                if (killwords) {
                    return s.substring(0, (int) Math.max(0, length - end.length())) + end;
                }
                String cut = s.substring(0, (int) Math.max(0, length - end.length()));
                int space = cut.lastIndexOf(' ');
                return (space >= 0 ? cut.substring(0, space) : cut) + end;
            }
            case "unique": {
                boolean cs = Py.truthy(opt(args, kw, 0, "case_sensitive", false));
                Object attr = opt(args, kw, 1, "attribute", null);
                PyList out = new PyList();
                java.util.Set<Object> seen = new java.util.HashSet<>();
                for (Object o : Py.iterate(v)) {
                    if (seen.add(Py.key(sortKey(attribute(o, attr), cs)))) {
                        out.add(o);
                    }
                }
                return Values.Generator.of("generator", out);
            }
            case "urlencode": {
                if (v instanceof Map<?, ?> m) {
                    List<String> parts = new ArrayList<>();
                    m.forEach((k, x) -> parts.add(Modules.quote(Py.str(k), "").replace("%20", "+") + "="
                            + Modules.quote(Py.str(x), "").replace("%20", "+")));
                    return String.join("&", parts);
                }
                return Modules.quote(Py.str(v), "/");
            }
            case "wordcount":
                return (long) Py.str(v).split("\\W+", -1).length - (Py.str(v).matches("(?s)^\\W.*|") ? 1 : 0)
                        - (Py.str(v).matches("(?s).*\\W$") ? 1 : 0);
            case "xmlattr": {
                boolean autospace = Py.truthy(opt(args, kw, 0, "autospace", true));
                StringBuilder b = new StringBuilder();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (e.getValue() == null || e.getValue() instanceof Undefined) {
                        continue;
                    }
                    if (b.length() > 0) {
                        b.append(' ');
                    }
                    b.append(escape(e.getKey())).append("=\"").append(escape(e.getValue())).append('"');
                }
                return new Markup((autospace && b.length() > 0 ? " " : "") + b);
            }
            default:
                throw new PyException("TemplateRuntimeError", "No filter named '" + name + "'.");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> castMap(Object v) {
        if (!(v instanceof Map)) {
            throw PyException.type("Can only get item pairs from a mapping.");
        }
        return (Map<Object, Object>) v;
    }

    /** Jinja2's title: words begin after whitespace, '-', '(', '{', '[' or '<'. */
    private static String title(String s) {
        StringBuilder b = new StringBuilder();
        boolean start = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean separator = Character.isWhitespace(c) || "-({[<".indexOf(c) >= 0;
            if (separator) {
                b.append(c);
                start = true;
            } else {
                b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
                start = false;
            }
        }
        return b.toString();
    }
}
