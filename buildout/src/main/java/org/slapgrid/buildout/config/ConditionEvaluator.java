package org.slapgrid.buildout.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slapgrid.buildout.config.PythonGlobals.MarkerString;
import org.slapgrid.buildout.config.PythonGlobals.PyFunction;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PySlice;
import org.slapgrid.buildout.python.PyTuple;
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
 * <p>The engine answers as the Python 3.11 that SlapOS runs would: values follow
 * {@link Py} (the project's one owner of Python's value semantics); what is the conditions' own
 * is here: marker strings compared as versions, namespaces ({@code sys}, {@code os}) as modules.
 */
public final class ConditionEvaluator {

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
        return new ConditionEvaluator(PythonGlobals.standard());
    }

    /** Evaluates a condition; errors name the file and line of the section header. */
    public boolean evaluate(String expression, SourceLocation where) {
        try {
            Parser p = new Parser(expression);
            Node n = p.parseExpression();
            p.expectEnd();
            return Py.truthy(n.eval());
        } catch (EvalError e) {
            throw BuildoutException.configuration(where,
                    "cannot evaluate section condition '" + expression.strip() + "': " + e.getMessage());
        } catch (PyException e) {
            throw BuildoutException.configuration(where,
                    "cannot evaluate section condition '" + expression.strip() + "': " + e.kind + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw BuildoutException.configuration(where,
                    "cannot evaluate section condition '" + expression.strip() + "': " + e);
        }
    }

    // ----------------------------------------------------------------------------- evaluation

    /** An error of the condition itself (syntax, unknown name, unsupported construct). */
    static final class EvalError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvalError(String message) {
            super(message);
        }
    }

    interface Node {
        Object eval();
    }

    /** Python's comparison operators; PEP 508 marker variables compare as versions when both sides are. */
    static boolean compare(String op, Object l, Object r) {
        return switch (op) {
            case "==" -> Py.eq(l, r);
            case "!=" -> !Py.eq(l, r);
            case "<" -> order(op, l, r) < 0;
            case "<=" -> order(op, l, r) <= 0;
            case ">" -> order(op, l, r) > 0;
            case ">=" -> order(op, l, r) >= 0;
            case "in" -> Py.contains(r, l);
            case "not in" -> !Py.contains(r, l);
            case "is" -> same(l, r);
            case "is not" -> !same(l, r);
            default -> throw new EvalError("unsupported operator " + op);
        };
    }

    private static boolean same(Object l, Object r) {
        return l == r || (l instanceof Boolean && l.equals(r));
    }

    private static int order(String op, Object l, Object r) {
        if ((l instanceof MarkerString || r instanceof MarkerString) && isVersion(l) && isVersion(r)) {
            return compareVersions(Py.str(l), Py.str(r));
        }
        try {
            return Py.compare(l, r, op);
        } catch (PyException e) {
            throw new EvalError("cannot compare " + Py.repr(l) + " and " + Py.repr(r) + " (" + e.getMessage() + ")");
        }
    }

    private static boolean isVersion(Object o) {
        return Py.isStr(o) && Py.str(o).matches("\\d+(\\.\\d+)*");
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

    /** {@code target.name}: a namespace's member, or str's {@code startswith} / {@code endswith}. */
    private static Object attribute(Object target, String name) {
        if (target instanceof Map<?, ?> m && m.containsKey(name)) {
            return m.get(name);
        }
        if (Py.isStr(target) && name.equals("startswith")) {
            String s = Py.str(target);
            return (PyFunction) a -> s.startsWith(PythonGlobals.str(a, 0));
        }
        if (Py.isStr(target) && name.equals("endswith")) {
            String s = Py.str(target);
            return (PyFunction) a -> s.endsWith(PythonGlobals.str(a, 0));
        }
        throw new EvalError(typeName(target) + " has no attribute '" + name + "' (not supported here)");
    }

    /** Namespaces ({@code sys}, {@code os.path}) are maps here but modules to Python. */
    private static String typeName(Object o) {
        return o instanceof Map ? "module" : Py.typeName(o);
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
                    return Py.truthy(v) ? v : r.eval();
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
                    return Py.truthy(v) ? r.eval() : v;
                };
            }
            return left;
        }

        Node parseNot() {
            if (accept("not")) {
                Node inner = parseNot();
                return () -> !Py.truthy(inner.eval());
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
                    if (!compare(ops.get(i), left, right)) {
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
                        node = () -> Py.slice(target.eval(), new PySlice(index == null ? null : index.eval(),
                                upper == null ? null : upper.eval(), null));
                    } else {
                        expect("]");
                        node = () -> Py.index(target.eval(), index.eval());
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
                    Object v = Py.parseInt(t.text);
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
                        return () -> Py.neg(inner.eval());
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
                        return () -> new PyTuple(items.stream().map(Node::eval).toList());   // a list literal too
                    }
                    throw new EvalError("unexpected '" + t.text + "'");
                }
                default -> throw new EvalError("unexpected end of expression");
            }
        }
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
