package org.slapgrid.recipes.template.jinja;

import static org.slapgrid.recipes.template.jinja.Builtins.a;
import static org.slapgrid.recipes.template.jinja.Builtins.fn;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slapgrid.buildout.python.DictView;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PySlice;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Values.HasAttributes;
import org.slapgrid.recipes.template.jinja.Values.PyCallable;
import org.slapgrid.recipes.template.jinja.Values.PyModule;

/**
 * The Python modules an {@code import NAME module} context line may name, with the functions
 * SlapOS profiles call on them. No module reads or writes files or runs anything.
 */
final class Modules {

    private Modules() {
    }

    static final Set<String> NAMES = Set.of("json", "itertools", "os", "os.path", "re", "math", "hashlib",
            "functools", "operator", "urllib", "urllib.parse", "six", "six.moves.urllib.parse");

    static PyModule module(String name) {
        Map<String, Object> m = new HashMap<>();
        switch (name) {
            case "json" -> {
                fn(m, "dumps", (args, kw) -> PyJson.dumps(a(args, 0), PyJson.Options.of(kw)));
                fn(m, "loads", (args, kw) -> PyJson.loads(Py.str(a(args, 0))));
            }
            case "itertools" -> itertools(m);
            case "os" -> {
                m.put("path", module("os.path"));
                m.put("sep", "/");
            }
            case "os.path" -> osPath(m);
            case "math" -> {
                fn(m, "floor", (args, kw) -> (long) Math.floor(Py.toDouble(a(args, 0))));
                fn(m, "ceil", (args, kw) -> (long) Math.ceil(Py.toDouble(a(args, 0))));
                fn(m, "sqrt", (args, kw) -> Math.sqrt(Py.toDouble(a(args, 0))));
            }
            case "re" -> re(m);
            case "hashlib" -> {
                for (String algorithm : List.of("md5", "sha1", "sha256", "sha512")) {
                    fn(m, algorithm, (args, kw) -> new Hash(algorithm, args.isEmpty() ? "" : Py.str(a(args, 0))));
                }
            }
            case "functools" -> fn(m, "partial", (args, kw) -> {
                Object f = a(args, 0);
                List<Object> bound = new ArrayList<>(args.subList(1, args.size()));
                Map<String, Object> boundKw = new LinkedHashMap<>(kw);
                return (PyCallable) (more, moreKw) -> {
                    List<Object> all = new ArrayList<>(bound);
                    all.addAll(more);
                    Map<String, Object> allKw = new LinkedHashMap<>(boundKw);
                    allKw.putAll(moreKw);
                    return Methods.callValue(f, all, allKw);
                };
            });
            case "operator" -> {
                fn(m, "itemgetter", (args, kw) -> (PyCallable) (x, k) -> {
                    if (args.size() == 1) {
                        return JinjaOps.getitem(a(x, 0), args.get(0));
                    }
                    List<Object> out = new ArrayList<>();
                    args.forEach(key -> out.add(JinjaOps.getitem(a(x, 0), key)));
                    return new PyTuple(out);
                });
                fn(m, "attrgetter", (args, kw) -> (PyCallable) (x, k) -> JinjaOps.getattr(a(x, 0), Py.str(args.get(0))));
            }
            case "urllib" -> m.put("parse", module("urllib.parse"));
            case "six" -> six(m);
            default -> urllibParse(m);
        }
        return new PyModule(name, m);
    }

    /** six, which slapos.recipe.template puts in every context: the Python 3 side of it. */
    private static void six(Map<String, Object> m) {
        fn(m, "iteritems", (args, kw) -> new DictView("items", cast((Map<?, ?>) a(args, 0))));
        fn(m, "itervalues", (args, kw) -> new DictView("values", cast((Map<?, ?>) a(args, 0))));
        fn(m, "iterkeys", (args, kw) -> new DictView("keys", cast((Map<?, ?>) a(args, 0))));
        fn(m, "ensure_str", (args, kw) -> Py.str(a(args, 0)));
        fn(m, "ensure_text", (args, kw) -> Py.str(a(args, 0)));
        m.put("PY2", false);
        m.put("PY3", true);
        m.put("text_type", Builtins.GLOBALS.get("str"));
        m.put("string_types", new PyTuple(Builtins.GLOBALS.get("str")));
        m.put("integer_types", new PyTuple(Builtins.GLOBALS.get("int")));
        Map<String, Object> moves = new HashMap<>();
        Map<String, Object> urllib = new HashMap<>();
        urllib.put("parse", module("six.moves.urllib.parse"));
        moves.put("urllib", new PyModule("six.moves.urllib", urllib));
        fn(moves, "shlex_quote", (args, kw) -> {
            String s = Py.str(a(args, 0));
            return !s.isEmpty() && s.matches("[\\w@%+=:,./-]+") ? s : "'" + s.replace("'", "'\"'\"'") + "'";
        });
        fn(moves, "range", (args, kw) -> Methods.callValue(Builtins.GLOBALS.get("range"), args, kw));
        m.put("moves", new PyModule("six.moves", moves));
    }

    private static void itertools(Map<String, Object> m) {
        fn(m, "chain", (args, kw) -> {
            PyList out = new PyList();
            args.forEach(x -> out.addAll(Py.toList(x)));
            return out;
        });
        fn(m, "product", (args, kw) -> {
            List<List<Object>> rows = new ArrayList<>();
            rows.add(List.of());
            for (Object x : args) {
                List<List<Object>> next = new ArrayList<>();
                for (List<Object> row : rows) {
                    for (Object o : Py.iterate(x)) {
                        List<Object> r = new ArrayList<>(row);
                        r.add(o);
                        next.add(r);
                    }
                }
                rows = next;
            }
            PyList out = new PyList();
            rows.forEach(r -> out.add(new PyTuple(r)));
            return out;
        });
        fn(m, "islice", (args, kw) -> {
            Object stop = args.size() == 2 ? args.get(1) : args.get(2);
            Object start = args.size() == 2 ? null : args.get(1);
            return Py.slice(Py.toList(a(args, 0)), new PySlice(start, stop, args.size() > 3 ? args.get(3) : null));
        });
        fn(m, "repeat", (args, kw) -> {
            PyList out = new PyList();
            for (long i = 0; i < Py.toLong(a(args, 1)); i++) {
                out.add(args.get(0));
            }
            return out;
        });
        // count(start, step): endless, read with next(); a for loop over it must break.
        fn(m, "count", (args, kw) -> {
            Object start = args.isEmpty() ? kw.getOrDefault("start", 0L) : args.get(0);
            Object step = args.size() > 1 ? args.get(1) : kw.getOrDefault("step", 1L);
            return new Iterator<Object>() {
                Object current = start;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Object next() {
                    Object v = current;
                    current = JinjaOps.add(current, step);
                    return v;
                }
            };
        });
    }

    private static void osPath(Map<String, Object> path) {
        fn(path, "join", (args, kw) -> {
            String out = "";
            for (Object o : args) {
                String p = Py.str(o);
                out = p.startsWith("/") || out.isEmpty() ? p : out.endsWith("/") ? out + p : out + "/" + p;
            }
            return out;
        });
        fn(path, "basename", (args, kw) -> {
            String p = Py.str(a(args, 0));
            return p.substring(p.lastIndexOf('/') + 1);
        });
        fn(path, "dirname", (args, kw) -> {
            String p = Py.str(a(args, 0));
            int at = p.lastIndexOf('/');
            String head = at < 0 ? "" : p.substring(0, at + 1);
            return head.matches("/+") ? head : head.replaceAll("/+$", "");
        });
        fn(path, "splitext", (args, kw) -> {
            String p = Py.str(a(args, 0));
            int dot = p.lastIndexOf('.');
            int slash = p.lastIndexOf('/');
            int base = slash + 1;
            while (base < p.length() && p.charAt(base) == '.') {
                base++;
            }
            return dot > slash && dot >= base ? new PyTuple(p.substring(0, dot), p.substring(dot)) : new PyTuple(p, "");
        });
    }

    // ---- re: Java regular expressions, with Python's (?P<name>...) and \g<name> spelled the Java way ----

    static Pattern compile(Object pattern) {
        String p = pattern instanceof CompiledPattern c ? c.pattern.pattern() : Py.str(pattern);
        return Pattern.compile(p.replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>"));
    }

    private static String replacement(String python) {
        return python.replace("$", "\\$").replaceAll("\\\\g<(\\w+)>", "\\${$1}").replaceAll("\\\\(\\d)", "\\$$1");
    }

    private static void re(Map<String, Object> m) {
        fn(m, "compile", (args, kw) -> new CompiledPattern(compile(a(args, 0))));
        fn(m, "escape", (args, kw) -> Py.str(a(args, 0)).replaceAll("([^A-Za-z0-9_])", "\\\\$1"));
        fn(m, "sub", (args, kw) -> compile(a(args, 0)).matcher(Py.str(a(args, 2))).replaceAll(replacement(Py.str(a(args, 1)))));
        fn(m, "split", (args, kw) -> new PyList(List.of((Object[]) compile(a(args, 0)).split(Py.str(a(args, 1)), -1))));
        fn(m, "search", (args, kw) -> match(compile(a(args, 0)).matcher(Py.str(a(args, 1))), "search"));
        fn(m, "match", (args, kw) -> match(compile(a(args, 0)).matcher(Py.str(a(args, 1))), "match"));
        fn(m, "fullmatch", (args, kw) -> match(compile(a(args, 0)).matcher(Py.str(a(args, 1))), "fullmatch"));
        fn(m, "findall", (args, kw) -> findall(compile(a(args, 0)), Py.str(a(args, 1))));
    }

    private static Object match(Matcher matcher, String how) {
        boolean found = switch (how) {
            case "match" -> matcher.lookingAt();
            case "fullmatch" -> matcher.matches();
            default -> matcher.find();
        };
        return found ? new MatchResult(matcher) : null;
    }

    private static PyList findall(Pattern p, String s) {
        PyList out = new PyList();
        Matcher m = p.matcher(s);
        while (m.find()) {
            if (m.groupCount() == 0) {
                out.add(m.group());
            } else if (m.groupCount() == 1) {
                out.add(m.group(1) == null ? "" : m.group(1));
            } else {
                List<Object> groups = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    groups.add(m.group(i) == null ? "" : m.group(i));
                }
                out.add(new PyTuple(groups));
            }
        }
        return out;
    }

    /** re.compile(...): match, search, fullmatch, sub, findall, split. */
    record CompiledPattern(Pattern pattern) implements HasAttributes {
        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "pattern" -> pattern.pattern();
                case "match", "search", "fullmatch" -> (PyCallable) (args, kw) -> match(pattern.matcher(Py.str(a(args, 0))), name);
                case "findall" -> (PyCallable) (args, kw) -> findall(pattern, Py.str(a(args, 0)));
                case "sub" -> (PyCallable) (args, kw) -> pattern.matcher(Py.str(a(args, 1))).replaceAll(replacement(Py.str(a(args, 0))));
                case "split" -> (PyCallable) (args, kw) -> new PyList(List.of((Object[]) pattern.split(Py.str(a(args, 0)), -1)));
                default -> Values.MISSING;
            };
        }
    }

    /** A match: group(n...), groups(), groupdict(), start(), end(). */
    static final class MatchResult implements HasAttributes {
        private final java.util.regex.MatchResult result;
        private final List<String> names;

        MatchResult(Matcher m) {
            this.result = m.toMatchResult();
            this.names = new ArrayList<>();
            Matcher n = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(m.pattern().pattern());
            while (n.find()) {
                names.add(n.group(1));
            }
        }

        private Object group(Object g) {
            if (Py.isInt(g)) {
                return result.group((int) Py.toLong(g));
            }
            int index = names.indexOf(Py.str(g)) + 1;
            if (index == 0) {
                throw new PyException("IndexError", "no such group");
            }
            return groupByName(Py.str(g));
        }

        private Object groupByName(String name) {
            int index = names.indexOf(name) + 1;
            return result.group(index);
        }

        @Override
        public Object attribute(String name) {
            return switch (name) {
                case "group" -> (PyCallable) (args, kw) -> {
                    if (args.size() <= 1) {
                        return group(args.isEmpty() ? 0L : args.get(0));
                    }
                    List<Object> out = new ArrayList<>();
                    args.forEach(g -> out.add(group(g)));
                    return new PyTuple(out);
                };
                case "groups" -> (PyCallable) (args, kw) -> {
                    List<Object> out = new ArrayList<>();
                    for (int i = 1; i <= result.groupCount(); i++) {
                        out.add(result.group(i));
                    }
                    return new PyTuple(out);
                };
                case "groupdict" -> (PyCallable) (args, kw) -> {
                    Map<Object, Object> out = new LinkedHashMap<>();
                    names.forEach(n -> out.put(n, groupByName(n)));
                    return out;
                };
                case "start" -> (PyCallable) (args, kw) -> (long) result.start();
                case "end" -> (PyCallable) (args, kw) -> (long) result.end();
                default -> Values.MISSING;
            };
        }
    }

    /** hashlib.md5(text): hexdigest() of the UTF-8 bytes (str.encode() keeps text here). */
    record Hash(String algorithm, String text) implements HasAttributes {
        @Override
        public Object attribute(String name) {
            if (!name.equals("hexdigest")) {
                return Values.MISSING;
            }
            return (PyCallable) (args, kw) -> {
                try {
                    String java = switch (algorithm) {
                        case "sha1" -> "SHA-1";
                        case "sha256" -> "SHA-256";
                        case "sha512" -> "SHA-512";
                        default -> "MD5";
                    };
                    return HexFormat.of().formatHex(MessageDigest.getInstance(java).digest(text.getBytes(StandardCharsets.UTF_8)));
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }

    // ---- urllib.parse ----

    static String quote(String s, String safe) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (Character.isLetterOrDigit(c) && c < 128 || "_.-~".indexOf(c) >= 0 || safe.indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append(String.format("%%%02X", c));
            }
        }
        return b.toString();
    }

    private static String unquote(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void urllibParse(Map<String, Object> m) {
        fn(m, "quote", (args, kw) -> quote(Py.str(a(args, 0)), args.size() > 1 ? Py.str(args.get(1)) : Py.str(kw.getOrDefault("safe", "/"))));
        fn(m, "quote_plus", (args, kw) -> quote(Py.str(a(args, 0)), (args.size() > 1 ? Py.str(args.get(1)) : Py.str(kw.getOrDefault("safe", ""))) + " ")
                .replace(' ', '+'));
        fn(m, "unquote", (args, kw) -> unquote(Py.str(a(args, 0))));
        fn(m, "unquote_plus", (args, kw) -> unquote(Py.str(a(args, 0)).replace('+', ' ')));
        fn(m, "urlencode", (args, kw) -> {
            List<String> parts = new ArrayList<>();
            Object q = a(args, 0);
            Iterable<Object> pairs = q instanceof Map<?, ?> map ? new DictView("items", cast(map)) : Py.iterate(q);
            for (Object pair : pairs) {
                List<Object> kv = Py.toList(pair);
                parts.add(quote(Py.str(kv.get(0)), " ").replace(' ', '+') + "=" + quote(Py.str(kv.get(1)), " ").replace(' ', '+'));
            }
            return String.join("&", parts);
        });
        fn(m, "urlparse", (args, kw) -> Url.parse(Py.str(a(args, 0)), true));
        fn(m, "urlsplit", (args, kw) -> Url.parse(Py.str(a(args, 0)), false));
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> cast(Map<?, ?> m) {
        return (Map<Object, Object>) m;
    }

    /** urlparse / urlsplit results: a tuple with named fields and hostname, port, username, password. */
    static final class Url extends PyTuple implements HasAttributes {
        private static final Pattern URL = Pattern.compile("^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$",
                Pattern.DOTALL);
        private final boolean withParams;

        private Url(boolean withParams, Object... parts) {
            super(parts);
            this.withParams = withParams;
        }

        static Url parse(String url, boolean withParams) {
            Matcher m = URL.matcher(url);
            m.matches();
            String scheme = m.group(1) == null ? "" : m.group(1).toLowerCase();
            String netloc = m.group(2) == null ? "" : m.group(2);
            String path = m.group(3);
            String query = m.group(4) == null ? "" : m.group(4);
            String fragment = m.group(5) == null ? "" : m.group(5);
            if (!withParams) {
                return new Url(false, scheme, netloc, path, query, fragment);
            }
            String params = "";
            int semi = path.lastIndexOf(';');
            if (semi >= 0 && path.indexOf('/', semi) < 0) {
                params = path.substring(semi + 1);
                path = path.substring(0, semi);
            }
            return new Url(true, scheme, netloc, path, params, query, fragment);
        }

        private String netloc() {
            return (String) get(1);
        }

        private String hostPort() {
            String n = netloc();
            return n.substring(n.lastIndexOf('@') + 1);
        }

        @Override
        public Object attribute(String name) {
            List<String> fields = withParams ? List.of("scheme", "netloc", "path", "params", "query", "fragment")
                    : List.of("scheme", "netloc", "path", "query", "fragment");
            int i = fields.indexOf(name);
            if (i >= 0) {
                return get(i);
            }
            String hp = hostPort();
            switch (name) {
                case "hostname": {
                    String host = hp.startsWith("[") ? hp.substring(1, Math.max(1, hp.indexOf(']'))) : hp.contains(":") ? hp.substring(0, hp.indexOf(':')) : hp;
                    return host.isEmpty() ? null : host.toLowerCase();
                }
                case "port": {
                    int close = hp.indexOf(']');
                    int colon = hp.indexOf(':', close + 1);
                    if (colon < 0 || colon == hp.length() - 1) {
                        return null;
                    }
                    return Long.parseLong(hp.substring(colon + 1));
                }
                case "username", "password": {
                    String n = netloc();
                    int at = n.lastIndexOf('@');
                    if (at < 0) {
                        return null;
                    }
                    String userinfo = n.substring(0, at);
                    int colon = userinfo.indexOf(':');
                    if (name.equals("username")) {
                        return colon < 0 ? userinfo : userinfo.substring(0, colon);
                    }
                    return colon < 0 ? null : userinfo.substring(colon + 1);
                }
                case "geturl":
                    return (PyCallable) (args, kw) -> {
                        StringBuilder b = new StringBuilder();
                        if (!((String) get(0)).isEmpty()) {
                            b.append(get(0)).append(':');
                        }
                        if (!netloc().isEmpty()) {
                            b.append("//").append(netloc());
                        }
                        b.append(get(2));
                        if (withParams && !((String) get(3)).isEmpty()) {
                            b.append(';').append(get(3));
                        }
                        String q = (String) get(withParams ? 4 : 3);
                        String f = (String) get(withParams ? 5 : 4);
                        if (!q.isEmpty()) {
                            b.append('?').append(q);
                        }
                        if (!f.isEmpty()) {
                            b.append('#').append(f);
                        }
                        return b.toString();
                    };
                default:
                    return Values.MISSING;
            }
        }
    }
}
