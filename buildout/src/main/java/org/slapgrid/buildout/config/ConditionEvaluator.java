package org.slapgrid.buildout.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;

/**
 * Evaluates the condition of a section header {@code [name:expr]} (reference §1.2): the subset
 * of Python that real profiles use ({@code python3}, {@code sys.version_info >= (3, 8)},
 * {@code platform.machine() == "x86_64"}, {@code os.path.isdir(...)}, {@code open(p).read()},
 * {@code and/or/not}, {@code in}, comparisons) and PEP 508 markers ({@code python_version < "3.11"}).
 * Buildout hands the text to Python's {@code eval}; there is no Python here, so this is a small
 * recursive-descent interpreter, and anything outside the subset is a clear error.
 *
 * <p>The engine answers as the Python 3.11 that SlapOS runs would.
 */
public final class ConditionEvaluator {

    /** The Python that the conditions are evaluated for. */
    static final int PY_MAJOR = 3;
    static final int PY_MINOR = 11;
    static final int PY_MICRO = 2;

    private final Map<String, Object> globals;

    private ConditionEvaluator(Map<String, Object> globals) {
        this.globals = globals;
    }

    private static volatile ConditionEvaluator shared;

    /** The standard evaluator, built once (its globals are immutable). */
    public static ConditionEvaluator shared() {
        ConditionEvaluator e = shared;
        if (e == null) {
            e = standard();
            shared = e;
        }
        return e;
    }

    /** Globals of buildout's {@code _default_globals()} for Python 3.11 on this machine. */
    public static ConditionEvaluator standard() {
        return new ConditionEvaluator(defaultGlobals(machine(), System.getProperty("os.name", "Linux")));
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

    static String machine() {
        String arch = System.getProperty("os.arch", "");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "i686";
            case "arm" -> "armv7l";
            default -> arch;
        };
    }

    private static Map<String, Object> defaultGlobals(String machine, String osName) {
        boolean linux = osName.toLowerCase().contains("linux");
        boolean windows = osName.toLowerCase().contains("windows");
        boolean mac = osName.toLowerCase().contains("mac");
        Map<String, Object> g = new HashMap<>();
        g.put("True", Boolean.TRUE);
        g.put("False", Boolean.FALSE);
        g.put("None", null);
        g.put("python2", false);
        g.put("python3", true);
        for (int minor = 4; minor <= 9; minor++) {
            g.put("python2" + minor, false);
            g.put("python3" + minor, PY_MINOR == minor);
        }
        for (int minor = 10; minor <= 15; minor++) {
            g.put("python3" + minor, PY_MINOR == minor);
        }
        g.put("cpython", true);
        g.put("pypy", false);
        g.put("jython", false);
        g.put("ironpython", false);
        g.put("linux", linux);
        g.put("windows", windows);
        g.put("cygwin", false);
        g.put("solaris", osName.toLowerCase().contains("sunos"));
        g.put("macosx", mac);
        g.put("posix", !windows);
        boolean bits64 = !"32".equals(System.getProperty("sun.arch.data.model"));
        g.put("bits32", !bits64);
        g.put("bits64", bits64);
        g.put("little_endian", java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN);
        g.put("big_endian", java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN);
        String platform = linux ? "linux" : windows ? "win32" : mac ? "darwin" : osName.toLowerCase();
        String system = linux ? "Linux" : windows ? "Windows" : mac ? "Darwin" : osName;
        String fullVersion = PY_MAJOR + "." + PY_MINOR + "." + PY_MICRO;

        Map<String, Object> sys = new HashMap<>();
        sys.put("version_info", List.of((long) PY_MAJOR, (long) PY_MINOR, (long) PY_MICRO, "final", 0L));
        sys.put("platform", platform);
        sys.put("byteorder", g.get("little_endian").equals(true) ? "little" : "big");
        sys.put("maxsize", bits64 ? Long.MAX_VALUE : (long) Integer.MAX_VALUE);
        sys.put("version", fullVersion);
        g.put("sys", sys);

        Map<String, Object> path = new HashMap<>();
        path.put("isdir", (PyFunction) a -> Files.isDirectory(Path.of(str(a, 0))));
        path.put("isfile", (PyFunction) a -> Files.isRegularFile(Path.of(str(a, 0))));
        path.put("exists", (PyFunction) a -> Files.exists(Path.of(str(a, 0))));
        path.put("islink", (PyFunction) a -> Files.isSymbolicLink(Path.of(str(a, 0))));
        path.put("join", (PyFunction) a -> {
            Path p = Path.of(str(a, 0));
            for (int i = 1; i < a.size(); i++) {
                p = p.resolve(str(a, i));
            }
            return p.toString();
        });
        Map<String, Object> os = new HashMap<>();
        os.put("name", windows ? "nt" : "posix");
        os.put("sep", windows ? "\\" : "/");
        os.put("path", path);
        os.put("F_OK", 0L);
        os.put("X_OK", 1L);
        os.put("W_OK", 2L);
        os.put("R_OK", 4L);
        os.put("access", (PyFunction) a -> {
            Path p = Path.of(str(a, 0));
            long mode = a.size() > 1 && a.get(1) instanceof Long l ? l : 0L;
            if (!Files.exists(p)) {
                return false;
            }
            return ((mode & 4) == 0 || Files.isReadable(p)) && ((mode & 2) == 0 || Files.isWritable(p))
                    && ((mode & 1) == 0 || Files.isExecutable(p));
        });
        g.put("os", os);

        Map<String, Object> plat = new HashMap<>();
        plat.put("machine", (PyFunction) a -> machine);
        plat.put("system", (PyFunction) a -> system);
        plat.put("python_version", (PyFunction) a -> fullVersion);
        plat.put("python_implementation", (PyFunction) a -> "CPython");
        g.put("platform", plat);

        g.put("open", (PyFunction) a -> {
            Path p = Path.of(str(a, 0));
            Map<String, Object> file = new HashMap<>();
            file.put("read", (PyFunction) b -> {
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new EvalError("cannot read " + p + ": " + e.getMessage());
                }
            });
            return file;
        });

        // PEP 508 marker variables.
        g.put("python_version", new MarkerString(PY_MAJOR + "." + PY_MINOR));
        g.put("python_full_version", new MarkerString(fullVersion));
        g.put("implementation_version", new MarkerString(fullVersion));
        g.put("implementation_name", new MarkerString("cpython"));
        g.put("platform_python_implementation", new MarkerString("CPython"));
        g.put("platform_machine", new MarkerString(machine));
        g.put("platform_system", new MarkerString(system));
        g.put("sys_platform", new MarkerString(platform));
        g.put("os_name", new MarkerString(windows ? "nt" : "posix"));
        g.put("platform_release", new MarkerString(System.getProperty("os.version", "")));
        return Map.copyOf(withNulls(g));
    }

    private static Map<String, Object> withNulls(Map<String, Object> g) {
        g.put("None", NONE);
        return g;
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

    private static String str(List<Object> args, int i) {
        if (args.size() <= i) {
            throw new EvalError("missing argument");
        }
        Object o = args.get(i);
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof MarkerString m) {
            return m.value();
        }
        throw new EvalError("expected a string, got " + repr(o));
    }

    /** Evaluates a condition; errors name the file and line of the section header. */
    public boolean evaluate(String expression, SourceLocation where) {
        try {
            Parser p = new Parser(expression);
            Node n = p.parseExpression();
            p.expectEnd();
            return truthy(n.eval());
        } catch (EvalError e) {
            throw BuildoutException.configuration(where,
                    "cannot evaluate section condition '" + expression.strip() + "': " + e.getMessage());
        } catch (RuntimeException e) {
            throw BuildoutException.configuration(where,
                    "cannot evaluate section condition '" + expression.strip() + "': " + e);
        }
    }

    // ----------------------------------------------------------------------------- evaluation

    interface Node {
        Object eval();
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

    private static Object plain(Object o) {
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

    // ----------------------------------------------------------------------------- parsing

    private enum T { NAME, NUMBER, STRING, OP, END }

    private record Token(T type, String text) {
    }

    private final class Parser {
        private final List<Token> tokens;
        private int pos;

        Parser(String text) {
            this.tokens = tokenize(text);
        }

        Token peek() {
            return tokens.get(pos);
        }

        boolean accept(String text) {
            Token t = peek();
            if ((t.type == T.OP || t.type == T.NAME) && t.text.equals(text)) {
                pos++;
                return true;
            }
            return false;
        }

        void expect(String text) {
            if (!accept(text)) {
                throw new EvalError("expected '" + text + "' but found " + describe(peek()));
            }
        }

        void expectEnd() {
            if (peek().type != T.END) {
                throw new EvalError("unexpected " + describe(peek()));
            }
        }

        String describe(Token t) {
            return t.type == T.END ? "end of expression" : "'" + t.text + "'";
        }

        Node parseExpression() {
            Node left = parseAnd();
            while (accept("or")) {
                Node l = left;
                Node r = parseAnd();
                left = () -> {
                    Object v = l.eval();
                    return truthy(v) ? v : r.eval();
                };
            }
            return left;
        }

        Node parseAnd() {
            Node left = parseNot();
            while (accept("and")) {
                Node l = left;
                Node r = parseNot();
                left = () -> {
                    Object v = l.eval();
                    return truthy(v) ? r.eval() : v;
                };
            }
            return left;
        }

        Node parseNot() {
            if (accept("not")) {
                Node inner = parseNot();
                return () -> !truthy(inner.eval());
            }
            return parseComparison();
        }

        Node parseComparison() {
            Node first = parsePrimary();
            List<String> ops = new ArrayList<>();
            List<Node> operands = new ArrayList<>();
            operands.add(first);
            while (true) {
                String op = comparisonOperator();
                if (op == null) {
                    break;
                }
                ops.add(op);
                operands.add(parsePrimary());
            }
            if (ops.isEmpty()) {
                return first;
            }
            return () -> {   // chained comparisons, as Python: a < b < c
                Object left = operands.get(0).eval();
                for (int i = 0; i < ops.size(); i++) {
                    Object right = operands.get(i + 1).eval();
                    if (!applyComparison(ops.get(i), left, right)) {
                        return false;
                    }
                    left = right;
                }
                return true;
            };
        }

        String comparisonOperator() {
            for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">", "in"}) {
                if (accept(op)) {
                    return op;
                }
            }
            if (accept("not")) {
                expect("in");
                return "not in";
            }
            if (accept("is")) {
                return accept("not") ? "is not" : "is";
            }
            return null;
        }

        Node parsePrimary() {
            Node node = parseAtom();
            while (true) {
                if (accept(".")) {
                    Token name = peek();
                    if (name.type != T.NAME) {
                        throw new EvalError("expected a name after '.'");
                    }
                    pos++;
                    Node target = node;
                    node = () -> attribute(target.eval(), name.text);
                } else if (accept("(")) {
                    List<Node> args = new ArrayList<>();
                    if (!accept(")")) {
                        do {
                            args.add(parseExpression());
                        } while (accept(","));
                        expect(")");
                    }
                    Node target = node;
                    node = () -> call(target.eval(), args);
                } else if (accept("[")) {
                    Node target = node;
                    Node index = peek().text.equals(":") ? null : parseExpression();
                    if (accept(":")) {
                        Node upper = peek().text.equals("]") ? null : parseExpression();
                        expect("]");
                        node = () -> slice(target.eval(), index == null ? null : index.eval(),
                                upper == null ? null : upper.eval());
                    } else {
                        expect("]");
                        node = () -> index(target.eval(), index.eval());
                    }
                } else {
                    return node;
                }
            }
        }

        Node parseAtom() {
            Token t = peek();
            switch (t.type) {
                case NUMBER -> {
                    pos++;
                    long v = Long.parseLong(t.text);
                    return () -> v;
                }
                case STRING -> {
                    pos++;
                    String s = t.text;
                    return () -> s;
                }
                case NAME -> {
                    if (List.of("and", "or", "not", "in", "is").contains(t.text)) {
                        throw new EvalError("unexpected '" + t.text + "'");
                    }
                    pos++;
                    String name = t.text;
                    return () -> {
                        if (!globals.containsKey(name)) {
                            throw new EvalError("name '" + name + "' is not defined");
                        }
                        return globals.get(name);
                    };
                }
                case OP -> {
                    if (accept("-")) {
                        Node inner = parseAtom();
                        return () -> {
                            if (inner.eval() instanceof Long l) {
                                return -l;
                            }
                            throw new EvalError("bad operand for unary -");
                        };
                    }
                    if (accept("(") || accept("[")) {
                        String close = tokens.get(pos - 1).text.equals("(") ? ")" : "]";
                        List<Node> items = new ArrayList<>();
                        boolean tuple = close.equals("]");
                        if (!accept(close)) {
                            items.add(parseExpression());
                            while (accept(",")) {
                                tuple = true;
                                if (peek().text.equals(close)) {
                                    break;
                                }
                                items.add(parseExpression());
                            }
                            expect(close);
                        } else {
                            tuple = true;
                        }
                        if (!tuple) {
                            return items.get(0);
                        }
                        return () -> items.stream().map(Node::eval).toList();
                    }
                    throw new EvalError("unexpected '" + t.text + "'");
                }
                default -> throw new EvalError("unexpected end of expression");
            }
        }
    }

    private static boolean applyComparison(String op, Object l, Object r) {
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

    private static Object attribute(Object target, String name) {
        if (target instanceof Map<?, ?> m && m.containsKey(name)) {
            return m.get(name);
        }
        if ((target instanceof String || target instanceof MarkerString) && name.equals("startswith")) {
            String s = target.toString();
            return (PyFunction) a -> s.startsWith(str(a, 0));
        }
        if ((target instanceof String || target instanceof MarkerString) && name.equals("endswith")) {
            String s = target.toString();
            return (PyFunction) a -> s.endsWith(str(a, 0));
        }
        throw new EvalError(typeName(target) + " has no attribute '" + name + "' (not supported here)");
    }

    private static Object call(Object target, List<Node> args) {
        if (!(target instanceof PyFunction f)) {
            throw new EvalError("'" + typeName(target) + "' object is not callable");
        }
        List<Object> values = new ArrayList<>();
        for (Node a : args) {
            values.add(a.eval());
        }
        return f.apply(values);
    }

    private static Object index(Object target, Object index) {
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

    private static Object slice(Object target, Object lower, Object upper) {
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

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(T.NAME, s.substring(i, j)));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && Character.isDigit(s.charAt(j))) {
                    j++;
                }
                if (j < n && (s.charAt(j) == '.' || Character.isLetter(s.charAt(j)))) {
                    throw new EvalError("only integer numbers are supported");
                }
                out.add(new Token(T.NUMBER, s.substring(i, j)));
                i = j;
            } else if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw new EvalError("unterminated string");
                    }
                    char d = s.charAt(j);
                    if (d == c) {
                        break;
                    }
                    if (d == '\\' && j + 1 < n) {
                        char e = s.charAt(++j);
                        switch (e) {
                            case 'n' -> b.append('\n');
                            case 't' -> b.append('\t');
                            case 'x' -> {
                                if (j + 2 >= n) {
                                    throw new EvalError("bad \\x escape");
                                }
                                try {
                                    b.append((char) Integer.parseInt(s.substring(j + 1, j + 3), 16));
                                } catch (NumberFormatException ex) {
                                    throw new EvalError("bad \\x escape");
                                }
                                j += 2;
                            }
                            default -> b.append(e);
                        }
                    } else {
                        b.append(d);
                    }
                    j++;
                }
                out.add(new Token(T.STRING, b.toString()));
                i = j + 1;
            } else {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                if (two.equals("==") || two.equals("!=") || two.equals("<=") || two.equals(">=")) {
                    out.add(new Token(T.OP, two));
                    i += 2;
                } else if ("()[],.<>:-".indexOf(c) >= 0) {
                    out.add(new Token(T.OP, String.valueOf(c)));
                    i++;
                } else {
                    throw new EvalError("unsupported character '" + c + "'");
                }
            }
        }
        out.add(new Token(T.END, ""));
        return out;
    }
}
