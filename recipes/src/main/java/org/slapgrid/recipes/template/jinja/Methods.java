package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.buildout.python.DictView;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PySlice;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Values.PyCallable;

/** The methods of Python's str, list and dict that templates call ({@code s.split()}, {@code d.get(k, x)}...). */
final class Methods {

    private Methods() {
    }

    private static final Set<String> STR = Set.of("split", "rsplit", "strip", "lstrip", "rstrip", "splitlines",
            "startswith", "endswith", "lower", "upper", "title", "capitalize", "swapcase", "casefold", "join",
            "format", "replace", "find", "rfind", "index", "rindex", "count", "isdigit", "isalpha", "isalnum",
            "isspace", "islower", "isupper", "isdecimal", "isnumeric", "isidentifier", "zfill", "ljust", "rjust",
            "center", "partition", "rpartition", "encode", "removeprefix", "removesuffix", "__contains__", "__len__");
    private static final Set<String> LIST = Set.of("append", "extend", "insert", "pop", "remove", "index", "count",
            "sort", "reverse", "copy", "clear", "__setitem__", "__getitem__", "__contains__", "__len__");
    private static final Set<String> TUPLE = Set.of("index", "count", "__getitem__", "__contains__", "__len__");
    private static final Set<String> DICT = Set.of("get", "setdefault", "pop", "popitem", "items", "keys", "values",
            "update", "copy", "clear", "__setitem__", "__getitem__", "__contains__", "__len__", "__delitem__");
    private static final Set<String> SET = Set.of("add", "discard", "remove", "union", "intersection",
            "difference", "issubset", "issuperset", "update", "copy", "pop", "clear", "__contains__", "__len__");

    static boolean has(Object self, String name) {
        if (Py.isStr(self)) {
            return STR.contains(name);
        }
        if (self instanceof PyTuple) {
            return TUPLE.contains(name);
        }
        if (self instanceof List) {
            return LIST.contains(name);
        }
        if (self instanceof Map) {
            return DICT.contains(name);
        }
        if (self instanceof Set) {
            return SET.contains(name);
        }
        return false;
    }

    static Object arg(List<Object> args, int i, Object fallback) {
        return i < args.size() ? args.get(i) : fallback;
    }

    static void arity(String name, List<Object> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw PyException.type(name + "() takes " + (min == max ? "exactly " + min : min + " to " + max)
                    + " arguments (" + args.size() + " given)");
        }
    }

    @SuppressWarnings("unchecked")
    static Object call(Object self, String name, List<Object> args, Map<String, Object> kw) {
        for (Object a : args) {
            Py.check(a);
        }
        if (name.equals("__contains__")) {
            return Py.contains(self, args.get(0));
        }
        if (name.equals("__len__")) {
            return Py.len(self);
        }
        if (Py.isStr(self)) {
            return string(Py.str(self), name, args, kw);
        }
        if (self instanceof Map<?, ?> m) {
            return dict((Map<Object, Object>) m, name, args, kw);
        }
        if (self instanceof PyTuple t) {
            return list(t, name, args, kw);
        }
        if (self instanceof List<?> l) {
            return list((List<Object>) l, name, args, kw);
        }
        return set((Set<Object>) self, name, args);
    }

    // ---- str ----

    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    static Object string(String s, String name, List<Object> args, Map<String, Object> kw) {
        switch (name) {
            case "split", "rsplit": {
                Object sep = arg(args, 0, kw.get("sep"));
                long max = Py.toLong(arg(args, 1, kw.getOrDefault("maxsplit", -1L)));
                return name.equals("split") ? split(s, sep == null ? null : Py.str(sep), max) : rsplit(s, sep == null ? null : Py.str(sep), max);
            }
            case "strip", "lstrip", "rstrip": {
                Object chars = arg(args, 0, null);
                return strip(s, chars == null ? null : Py.str(chars), !name.equals("rstrip"), !name.equals("lstrip"));
            }
            case "splitlines": {
                boolean keep = Py.truthy(arg(args, 0, kw.getOrDefault("keepends", false)));
                PyList out = new PyList();
                int start = 0;
                int i = 0;
                while (i < s.length()) {
                    char c = s.charAt(i);
                    if (c == '\n' || c == '\r' || c == '\u000b' || c == '\f' || c == '\u001c' || c == '\u001d' || c == '\u001e'
                            || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                        int end = i;
                        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                            i++;
                        }
                        i++;
                        out.add(s.substring(start, keep ? i : end));
                        start = i;
                    } else {
                        i++;
                    }
                }
                if (start < s.length()) {
                    out.add(s.substring(start));
                }
                return out;
            }
            case "startswith", "endswith": {
                Object prefix = args.get(0);
                String t = s;
                if (args.size() > 1) {
                    t = (String) Py.slice(s, new PySlice(args.get(1), arg(args, 2, null), null));
                }
                List<Object> options = prefix instanceof PyTuple tu ? tu : List.of(prefix);
                for (Object o : options) {
                    if (!Py.isStr(o)) {
                        throw PyException.type(name + " first arg must be str or a tuple of str, not " + Py.typeName(o));
                    }
                    if (name.equals("startswith") ? t.startsWith(Py.str(o)) : t.endsWith(Py.str(o))) {
                        return true;
                    }
                }
                return false;
            }
            case "lower", "casefold":
                return s.toLowerCase(java.util.Locale.ROOT);
            case "upper":
                return s.toUpperCase(java.util.Locale.ROOT);
            case "swapcase": {
                StringBuilder b = new StringBuilder();
                s.codePoints().forEach(c -> b.appendCodePoint(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)));
                return b.toString();
            }
            case "title":
                return title(s);
            case "capitalize":
                return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + s.substring(1).toLowerCase(java.util.Locale.ROOT);
            case "join": {
                StringBuilder b = new StringBuilder();
                boolean first = true;
                for (Object o : Py.iterate(args.get(0))) {
                    if (!Py.isStr(o)) {
                        throw PyException.type("sequence item: expected str instance, " + Py.typeName(o) + " found");
                    }
                    if (!first) {
                        b.append(s);
                    }
                    first = false;
                    b.append(Py.str(o));
                }
                return b.toString();
            }
            case "format":
                return Format.format(s, args, kw);
            case "replace": {
                String old = text(args.get(0));
                String rep = text(args.get(1));
                long count = Py.toLong(arg(args, 2, -1L));
                if (count < 0) {
                    return old.isEmpty() ? insertEverywhere(s, rep) : s.replace(old, rep);
                }
                StringBuilder b = new StringBuilder();
                int from = 0;
                for (long n = 0; n < count; n++) {
                    int at = s.indexOf(old, from);
                    if (at < 0 || old.isEmpty()) {
                        break;
                    }
                    b.append(s, from, at).append(rep);
                    from = at + old.length();
                }
                return b.append(s.substring(from)).toString();
            }
            case "find", "index":
            case "rfind", "rindex": {
                String sub = text(args.get(0));
                int at = name.startsWith("r") ? s.lastIndexOf(sub) : s.indexOf(sub);
                if (at < 0 && name.contains("index")) {
                    throw PyException.value("substring not found");
                }
                return (long) (at < 0 ? -1 : s.codePointCount(0, at));
            }
            case "count": {
                String sub = text(args.get(0));
                if (sub.isEmpty()) {
                    return Py.len(s) + 1;
                }
                long n = 0;
                for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
                    n++;
                }
                return n;
            }
            case "isdigit", "isdecimal", "isnumeric":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace":
                return !s.isEmpty() && s.codePoints().allMatch(Methods::isSpace);
            case "isidentifier":
                return !s.isEmpty() && (Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')
                        && s.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
            case "islower":
                return s.codePoints().anyMatch(Character::isLowerCase) && s.codePoints().noneMatch(Character::isUpperCase);
            case "isupper":
                return s.codePoints().anyMatch(Character::isUpperCase) && s.codePoints().noneMatch(Character::isLowerCase);
            case "zfill": {
                int width = (int) Py.toLong(args.get(0));
                int len = (int) Py.len(s);
                if (len >= width) {
                    return s;
                }
                String pad = "0".repeat(width - len);
                if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
                    return s.charAt(0) + pad + s.substring(1);
                }
                return pad + s;
            }
            case "ljust", "rjust", "center": {
                int width = (int) Py.toLong(args.get(0));
                String fill = Py.str(arg(args, 1, " "));
                int len = (int) Py.len(s);
                if (len >= width) {
                    return s;
                }
                int total = width - len;
                if (name.equals("ljust")) {
                    return s + fill.repeat(total);
                }
                if (name.equals("rjust")) {
                    return fill.repeat(total) + s;
                }
                int left = total / 2 + (total & width & 1);
                return fill.repeat(left) + s + fill.repeat(total - left);
            }
            case "partition", "rpartition": {
                String sep = text(args.get(0));
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) {
                    return name.equals("partition") ? new PyTuple(s, "", "") : new PyTuple("", "", s);
                }
                return new PyTuple(s.substring(0, at), sep, s.substring(at + sep.length()));
            }
            case "removeprefix": {
                String p = Py.str(args.get(0));
                return s.startsWith(p) ? s.substring(p.length()) : s;
            }
            case "removesuffix": {
                String p = Py.str(args.get(0));
                return !p.isEmpty() && s.endsWith(p) ? s.substring(0, s.length() - p.length()) : s;
            }
            case "encode":
                return s;
            default:
                throw PyException.type("str has no method " + name);
        }
    }

    /** A str argument of a str method: Python refuses any other type. */
    private static String text(Object arg) {
        if (!Py.isStr(arg)) {
            throw PyException.type("must be str, not " + Py.typeName(arg));
        }
        return Py.str(arg);
    }

    private static String insertEverywhere(String s, String rep) {
        StringBuilder b = new StringBuilder(rep);
        s.codePoints().forEach(c -> b.appendCodePoint(c).append(rep));
        return b.toString();
    }

    static String title(String s) {
        StringBuilder b = new StringBuilder();
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetter(c)) {
                b.appendCodePoint(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
                previousCased = true;
            } else {
                b.appendCodePoint(c);
                previousCased = false;
            }
        }
        return b.toString();
    }

    static PyList split(String s, String sep, long max) {
        PyList out = new PyList();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (max >= 0 && out.size() >= max) {
                    out.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw PyException.value("empty separator");
        }
        int from = 0;
        while (max < 0 || out.size() < max) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    static PyList rsplit(String s, String sep, long max) {
        if (max < 0) {
            return split(s, sep, max);
        }
        PyList out = new PyList();
        if (sep == null) {
            int j = s.length();
            while (true) {
                while (j > 0 && isSpace(s.charAt(j - 1))) {
                    j--;
                }
                if (j <= 0) {
                    break;
                }
                if (out.size() >= max) {
                    out.add(0, strip(s.substring(0, j), null, true, false));
                    break;
                }
                int i = j;
                while (i > 0 && !isSpace(s.charAt(i - 1))) {
                    i--;
                }
                out.add(0, s.substring(i, j));
                j = i;
            }
            return out;
        }
        int to = s.length();
        while (out.size() < max) {
            int at = s.lastIndexOf(sep, to - sep.length());
            if (at < 0) {
                break;
            }
            out.add(0, s.substring(at + sep.length(), to));
            to = at;
        }
        out.add(0, s.substring(0, to));
        return out;
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int i = 0;
        int j = s.length();
        if (left) {
            while (i < j && (chars == null ? isSpace(s.charAt(i)) : chars.indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
        }
        if (right) {
            while (j > i && (chars == null ? isSpace(s.charAt(j - 1)) : chars.indexOf(s.charAt(j - 1)) >= 0)) {
                j--;
            }
        }
        return s.substring(i, j);
    }

    // ---- list / tuple ----

    private static Object list(List<Object> l, String name, List<Object> args, Map<String, Object> kw) {
        switch (name) {
            case "append":
                l.add(args.get(0));
                return null;
            case "extend":
                for (Object o : Py.iterate(args.get(0))) {
                    l.add(o);
                }
                return null;
            case "insert": {
                long i = Py.toLong(args.get(0));
                int n = l.size();
                if (i < 0) {
                    i = Math.max(0, i + n);
                }
                l.add((int) Math.min(i, n), args.get(1));
                return null;
            }
            case "pop": {
                if (l.isEmpty()) {
                    throw new PyException("IndexError", "pop from empty list");
                }
                long i = Py.toLong(arg(args, 0, -1L));
                if (i < 0) {
                    i += l.size();
                }
                if (i < 0 || i >= l.size()) {
                    throw new PyException("IndexError", "pop index out of range");
                }
                return l.remove((int) i);
            }
            case "remove":
                for (int i = 0; i < l.size(); i++) {
                    if (Py.eq(l.get(i), args.get(0))) {
                        l.remove(i);
                        return null;
                    }
                }
                throw PyException.value("list.remove(x): x not in list");
            case "index":
                for (int i = 0; i < l.size(); i++) {
                    if (Py.eq(l.get(i), args.get(0))) {
                        return (long) i;
                    }
                }
                throw PyException.value(Py.repr(args.get(0)) + " is not in list");
            case "count":
                return l.stream().filter(o -> Py.eq(o, args.get(0))).count();
            case "sort": {
                List<Object> sorted = Builtins.sorted(l, kw.get("key"), Py.truthy(kw.getOrDefault("reverse", false)));
                l.clear();
                l.addAll(sorted);
                return null;
            }
            case "reverse":
                java.util.Collections.reverse(l);
                return null;
            case "copy":
                return new PyList(l);
            case "clear":
                l.clear();
                return null;
            case "__setitem__": {
                long i = Py.toLong(args.get(0));
                l.set((int) (i < 0 ? i + l.size() : i), args.get(1));
                return null;
            }
            case "__getitem__":
                return JinjaOps.getitem(l, args.get(0));
            default:
                throw PyException.type("list has no method " + name);
        }
    }

    // ---- dict ----

    private static Object dict(Map<Object, Object> d, String name, List<Object> args, Map<String, Object> kw) {
        switch (name) {
            case "get": {
                Object k = Py.key(args.get(0));
                return d.containsKey(k) ? d.get(k) : arg(args, 1, null);
            }
            case "setdefault": {
                Object k = Py.key(args.get(0));
                if (!d.containsKey(k)) {
                    d.put(k, arg(args, 1, null));
                }
                return d.get(k);
            }
            case "pop": {
                Object k = Py.key(args.get(0));
                if (d.containsKey(k)) {
                    return d.remove(k);
                }
                if (args.size() > 1) {
                    return args.get(1);
                }
                throw new PyException("KeyError", Py.repr(args.get(0)));
            }
            case "popitem": {
                if (d.isEmpty()) {
                    throw new PyException("KeyError", "'popitem(): dictionary is empty'");
                }
                Object last = null;
                for (Object k : d.keySet()) {
                    last = k;
                }
                return new PyTuple(last, d.remove(last));
            }
            case "items", "keys", "values":
                return new DictView(name, d);
            case "update":
                if (!args.isEmpty()) {
                    putAll(d, args.get(0));
                }
                kw.forEach(d::put);
                return null;
            case "copy":
                return new LinkedHashMap<>(d);
            case "clear":
                d.clear();
                return null;
            case "__setitem__":
                d.put(Py.key(args.get(0)), args.get(1));
                return null;
            case "__delitem__": {
                Object k = Py.key(args.get(0));
                if (!d.containsKey(k)) {
                    throw new PyException("KeyError", Py.repr(args.get(0)));
                }
                d.remove(k);
                return null;
            }
            case "__getitem__": {
                Object k = Py.key(args.get(0));
                if (!d.containsKey(k)) {
                    throw new PyException("KeyError", Py.repr(args.get(0)));
                }
                return d.get(k);
            }
            default:
                throw PyException.type("dict has no method " + name);
        }
    }

    /** dict(x) / d.update(x): a mapping, or an iterable of pairs. */
    static void putAll(Map<Object, Object> d, Object source) {
        if (source instanceof Map<?, ?> m) {
            m.forEach((k, v) -> d.put(k, v));
            return;
        }
        for (Object pair : Py.iterate(source)) {
            List<Object> kv = Py.toList(pair);
            if (kv.size() != 2) {
                throw PyException.value("dictionary update sequence element has length " + kv.size() + "; 2 is required");
            }
            d.put(Py.key(kv.get(0)), kv.get(1));
        }
    }

    // ---- set ----

    private static Object set(Set<Object> s, String name, List<Object> args) {
        switch (name) {
            case "add":
                s.add(Py.key(args.get(0)));
                return null;
            case "discard":
                s.remove(Py.key(args.get(0)));
                return null;
            case "remove":
                if (!s.remove(Py.key(args.get(0)))) {
                    throw new PyException("KeyError", Py.repr(args.get(0)));
                }
                return null;
            case "update":
                for (Object a : args) {
                    for (Object o : Py.iterate(a)) {
                        s.add(Py.key(o));
                    }
                }
                return null;
            case "union", "intersection", "difference": {
                Set<Object> out = new java.util.LinkedHashSet<>(s);
                for (Object a : args) {
                    Set<Object> other = new java.util.LinkedHashSet<>();
                    Py.iterate(a).forEach(o -> other.add(Py.key(o)));
                    switch (name) {
                        case "union" -> out.addAll(other);
                        case "intersection" -> out.retainAll(other);
                        default -> out.removeAll(other);
                    }
                }
                return out;
            }
            case "issubset", "issuperset": {
                Set<Object> other = new java.util.LinkedHashSet<>();
                Py.iterate(args.get(0)).forEach(o -> other.add(Py.key(o)));
                return name.equals("issubset") ? other.containsAll(s) : s.containsAll(other);
            }
            case "copy":
                return new java.util.LinkedHashSet<>(s);
            case "pop": {
                Object first = s.iterator().next();
                s.remove(first);
                return first;
            }
            case "clear":
                s.clear();
                return null;
            default:
                throw PyException.type("set has no method " + name);
        }
    }

    static Object callValue(Object fn, List<Object> args, Map<String, Object> kwargs) {
        Py.check(fn);
        if (fn instanceof PyCallable c) {
            return c.call(args, kwargs);
        }
        throw PyException.type("'" + Py.typeName(fn) + "' object is not callable");
    }

    static List<Object> args(Object... values) {
        return new ArrayList<>(java.util.Arrays.asList(values));
    }
}
