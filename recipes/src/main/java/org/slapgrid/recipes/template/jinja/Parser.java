package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.recipes.template.jinja.Lexer.Kind;
import org.slapgrid.recipes.template.jinja.Lexer.Token;
import org.slapgrid.recipes.template.jinja.Nodes.Args;
import org.slapgrid.recipes.template.jinja.Nodes.Expr;
import org.slapgrid.recipes.template.jinja.Nodes.Stmt;
import org.slapgrid.recipes.template.jinja.Nodes.Target;

/**
 * Jinja2's grammar (parser.py of Jinja2 3.1): statements for, if, set (and block set), macro,
 * call, filter, with, include, import, from, do, break, continue, print; expressions with
 * Jinja2's precedence (conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary,
 * postfix, filters and tests). Unknown filters and tests are refused when the template is parsed,
 * as Jinja2 does.
 */
final class Parser {

    private static final Set<String> COMPARE = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final String template;
    private final List<Token> tokens;
    private int pos;
    private int loopDepth;
    private final java.util.Map<String, Nodes.Block> blocks = new java.util.LinkedHashMap<>();
    /** Autoescape where the parser is: TRUE/FALSE inside a constant {% autoescape %}, null when decided at run time. */
    private Boolean autoescape = Boolean.FALSE;

    private Parser(String template, List<Token> tokens) {
        this.template = template;
        this.tokens = tokens;
    }

    static Jinja2.Template parse(String template, String source) {
        Parser p = new Parser(template, Lexer.tokenize(template, source));
        List<Stmt> body = p.subparse(Set.of());
        return new Jinja2.Template(template, body, java.util.Map.copyOf(p.blocks), FrameNames.analyseTemplate(body));
    }

    /**
     * A Python literal as repr writes it (str, int, float, True/False/None, lists, tuples, dicts of
     * those): evaluated through this grammar, refusing anything else (names, calls, operators).
     */
    static Object literal(String text) {
        Parser p = new Parser("literal", Lexer.tokenize("literal", "{{ " + text + " }}"));
        p.pos = 1;
        Expr e = p.parseTuple(false, true, Set.of(), false);
        if (p.current().kind() != Kind.VAR_END || p.look().kind() != Kind.EOF || !isLiteral(e)) {
            throw new IllegalArgumentException("not a Python literal: " + text);
        }
        return e.eval(new Scope(null), null);
    }

    private static boolean isLiteral(Expr e) {
        if (e instanceof Nodes.Const) {
            return true;
        }
        if (e instanceof Nodes.Unary u) {
            return u.op().equals("-") && u.operand() instanceof Nodes.Const c && Py.isNumber(c.value());
        }
        if (e instanceof Nodes.Display d) {
            return d.items().stream().allMatch(Parser::isLiteral) && (d.values() == null || d.values().stream().allMatch(Parser::isLiteral));
        }
        return false;
    }

    // ---- token helpers ----

    private Token current() {
        return tokens.get(pos);
    }

    private Token look() {
        return tokens.get(Math.min(pos + 1, tokens.size() - 1));
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private TemplateError error(String message, Token at) {
        return new TemplateError("TemplateSyntaxError", template, at.line(), message);
    }

    private boolean skipOp(String op) {
        if (current().isOp(op)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean skipName(String name) {
        if (current().isName(name)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token expectOp(String op) {
        Token t = current();
        if (!t.isOp(op)) {
            throw error("expected token '" + op + "', got " + t, t);
        }
        return next();
    }

    private void expectName(String name) {
        Token t = current();
        if (!t.isName(name)) {
            throw error("expected token '" + name + "', got " + t, t);
        }
        pos++;
    }

    private String expectIdentifier() {
        Token t = current();
        if (t.kind() != Kind.NAME) {
            throw error("expected name, got " + t, t);
        }
        pos++;
        return t.text();
    }

    private void expectBlockEnd() {
        Token t = current();
        if (t.kind() != Kind.BLOCK_END) {
            throw error("expected token 'end of statement block', got " + t, t);
        }
        pos++;
    }

    // ---- statements ----

    /** Statements until a block tag named in {@code end}; leaves the parser on that tag's name. */
    private List<Stmt> subparse(Set<String> end) {
        List<Stmt> body = new ArrayList<>();
        while (true) {
            Token t = current();
            switch (t.kind()) {
                case DATA -> {
                    body.add(new Nodes.Data(t.line(), t.text()));
                    pos++;
                }
                case VAR_BEGIN -> {
                    pos++;
                    int start = pos;
                    Expr e = parseTuple(false, true, Set.of(), false);
                    String source = sourceOf(start, pos);
                    if (current().kind() != Kind.VAR_END) {
                        throw error("expected token 'end of print statement', got " + current(), current());
                    }
                    pos++;
                    body.add(new Nodes.Print(t.line(), e, source, autoescape));
                }
                case BLOCK_BEGIN -> {
                    pos++;
                    Token name = current();
                    if (name.kind() == Kind.NAME && end.contains(name.text())) {
                        return body;
                    }
                    body.add(statement());
                }
                case EOF -> {
                    if (!end.isEmpty()) {
                        throw error("Unexpected end of template. Jinja was looking for the following tags: "
                                + String.join(" or ", end.stream().sorted().map(s -> "'" + s + "'").toList())
                                + ".", t);
                    }
                    return body;
                }
                default -> throw error("unexpected " + t, t);
            }
        }
    }

    private String sourceOf(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (b.length() > 0 && !(t.kind() == Kind.OP && ".([)]".contains(t.text()))
                    && !(i > 0 && tokens.get(i - 1).kind() == Kind.OP && ".([".contains(tokens.get(i - 1).text()))) {
                b.append(' ');
            }
            b.append(t.kind() == Kind.STRING ? Py.repr(t.value()) : t.text());
        }
        return b.toString();
    }

    private Stmt statement() {
        Token t = current();
        if (t.kind() != Kind.NAME) {
            throw error("tag name expected", t);
        }
        pos++;
        int line = t.line();
        return switch (t.text()) {
            case "for" -> parseFor(line);
            case "if" -> parseIf(line);
            case "set" -> parseSet(line);
            case "macro" -> parseMacro(line);
            case "call" -> parseCallBlock(line);
            case "filter" -> parseFilterBlock(line);
            case "with" -> parseWith(line);
            case "include" -> parseInclude(line);
            case "import" -> parseImport(line);
            case "from" -> parseFrom(line);
            case "do" -> {
                Expr e = parseTuple(false, true, Set.of(), false);
                expectBlockEnd();
                yield new Nodes.Do(line, e);
            }
            case "print" -> {
                int start = pos;
                Expr e = parseTuple(false, true, Set.of(), false);
                String source = sourceOf(start, pos);
                expectBlockEnd();
                yield new Nodes.Print(line, e, source, autoescape);
            }
            case "break", "continue" -> {
                if (loopDepth == 0) {
                    throw error("'" + t.text() + "' outside of a loop", t);
                }
                expectBlockEnd();
                yield new Nodes.Control(line, t.text().equals("break"));
            }
            case "block" -> parseBlock(line);
            case "extends" -> {
                Expr parent = parseExpression(true);
                expectBlockEnd();
                yield new Nodes.Extends(line, parent);
            }
            case "autoescape" -> {
                Expr on = parseExpression(true);
                Boolean saved = autoescape;
                // As Jinja2 compiles it: a constant switches escaping for the text inside;
                // anything else is decided when rendering.
                autoescape = on instanceof Nodes.Const c ? Py.truthy(c.value()) : null;
                List<Stmt> body = body(Set.of("endautoescape"));
                autoescape = saved;
                endTag();
                yield new Nodes.AutoEscape(line, on, new Nodes.Body(body));
            }
            case "trans" -> throw error(
                    "the '" + t.text() + "' tag is not supported by this renderer (see recipes/README.md)", t);
            default -> throw error("Encountered unknown tag '" + t.text() + "'.", t);
        };
    }

    private List<Stmt> body(Set<String> end) {
        expectBlockEnd();
        return subparse(end);
    }

    /** After subparse stopped on an end tag: consume it and its block end. */
    private void endTag() {
        pos++;
        expectBlockEnd();
    }

    private Stmt parseFor(int line) {
        Target target = parseAssignTarget(true, false, Set.of("in"), false);
        expectName("in");
        Expr iterable = parseTuple(false, false, Set.of("recursive"), false);
        Expr condition = null;
        if (skipName("if")) {
            condition = parseExpression(true);
        }
        boolean recursive = skipName("recursive");
        loopDepth++;
        List<Stmt> body = body(Set.of("endfor", "else"));
        loopDepth--;
        List<Stmt> otherwise = null;
        if (current().isName("else")) {
            pos++;
            otherwise = body(Set.of("endfor"));
        }
        endTag();
        return new Nodes.For(line, target, iterable, condition, recursive, new Nodes.Body(body),
                otherwise == null ? null : new Nodes.Body(otherwise));
    }

    private Stmt parseBlock(int line) {
        Token at = current();
        String name = expectIdentifier();
        boolean scoped = skipName("scoped");
        skipName("required");
        if (blocks.containsKey(name)) {
            throw error("block '" + name + "' defined twice", at);
        }
        int saved = loopDepth;
        loopDepth = 0;
        List<Stmt> body = body(Set.of("endblock"));
        loopDepth = saved;
        pos++;
        if (current().kind() == Kind.NAME) {
            if (!current().text().equals(name)) {
                throw error("mismatching name of block: '" + name + "' closed by '" + current().text() + "'", current());
            }
            pos++;
        }
        expectBlockEnd();
        Nodes.Block block = new Nodes.Block(line, name, scoped, body);
        blocks.put(name, block);
        return block;
    }

    private Stmt parseIf(int line) {
        List<Expr> tests = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        List<Stmt> otherwise = null;
        tests.add(parseTuple(false, false, Set.of(), false));
        bodies.add(body(Set.of("elif", "else", "endif")));
        while (true) {
            Token t = next();
            if (t.text().equals("elif")) {
                tests.add(parseTuple(false, false, Set.of(), false));
                bodies.add(body(Set.of("elif", "else", "endif")));
            } else if (t.text().equals("else")) {
                otherwise = body(Set.of("endif"));
            } else {
                expectBlockEnd();
                break;
            }
        }
        return new Nodes.If(line, tests, bodies, otherwise);
    }

    private Stmt parseSet(int line) {
        Target target = parseAssignTarget(true, false, Set.of(), true);
        if (skipOp("=")) {
            Expr value = parseTuple(false, true, Set.of(), false);
            expectBlockEnd();
            return new Nodes.Set(line, target, value, null, List.of());
        }
        List<Nodes.Filter> filters = new ArrayList<>();
        while (skipOp("|")) {
            filters.add(parseFilterCall(null));
        }
        List<Stmt> body = body(Set.of("endset"));
        endTag();
        return new Nodes.Set(line, target, null, new Nodes.Body(body), filters);
    }

    private Stmt parseMacro(int line) {
        String name = expectIdentifier();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        parseSignature(params, defaults);
        int saved = loopDepth;
        loopDepth = 0;
        int from = pos;
        List<Stmt> body = body(Set.of("endmacro"));
        loopDepth = saved;
        Set<String> uses = namesUsed(from, pos, Set.of("varargs", "kwargs"));
        endTag();
        return new Nodes.MacroDef(line, name, new Nodes.MacroBody(params, defaults, new Nodes.Body(body), uses));
    }

    private void parseSignature(List<String> params, List<Expr> defaults) {
        expectOp("(");
        while (!current().isOp(")")) {
            if (!params.isEmpty()) {
                expectOp(",");
            }
            if (current().isOp(")")) {
                break;
            }
            String p = expectIdentifier();
            if (skipOp("=")) {
                defaults.add(parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw error("non-default argument follows default argument", current());
            }
            params.add(p);
        }
        expectOp(")");
    }

    private Stmt parseCallBlock(int line) {
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (current().isOp("(")) {
            parseSignature(params, defaults);
        }
        Token at = current();
        Expr call = parseExpression(true);
        if (!(call instanceof Nodes.Call c)) {
            throw error("expected call", at);
        }
        int from = pos;
        List<Stmt> body = body(Set.of("endcall"));
        Set<String> uses = namesUsed(from, pos, Set.of("varargs", "kwargs"));
        endTag();
        return new Nodes.CallBlock(line, c, new Nodes.MacroBody(params, defaults, new Nodes.Body(body), uses));
    }

    private Stmt parseFilterBlock(int line) {
        List<Nodes.Filter> filters = new ArrayList<>();
        filters.add(parseFilterCall(null));
        while (skipOp("|")) {
            filters.add(parseFilterCall(null));
        }
        List<Stmt> body = body(Set.of("endfilter"));
        endTag();
        return new Nodes.FilterBlock(line, filters, new Nodes.Body(body));
    }

    private Stmt parseWith(int line) {
        List<Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (current().kind() != Kind.BLOCK_END) {
            if (!targets.isEmpty()) {
                expectOp(",");
            }
            targets.add(parseAssignTarget(false, false, Set.of(), false));
            expectOp("=");
            values.add(parseExpression(true));
        }
        List<Stmt> body = body(Set.of("endwith"));
        endTag();
        return new Nodes.With(line, targets, values, new Nodes.Body(body));
    }

    private boolean parseContext(boolean dflt) {
        if ((current().isName("with") || current().isName("without")) && look().isName("context")) {
            boolean with = next().text().equals("with");
            pos++;
            return with;
        }
        return dflt;
    }

    private Stmt parseInclude(int line) {
        Expr template = parseExpression(true);
        boolean ignoreMissing = false;
        if (current().isName("ignore") && look().isName("missing")) {
            pos += 2;
            ignoreMissing = true;
        }
        boolean withContext = parseContext(true);
        expectBlockEnd();
        return new Nodes.Load(line, "include", template, null, null, null, withContext, ignoreMissing);
    }

    private Stmt parseImport(int line) {
        Expr template = parseExpression(true);
        expectName("as");
        String alias = expectIdentifier();
        boolean withContext = parseContext(false);
        expectBlockEnd();
        return new Nodes.Load(line, "import", template, alias, null, null, withContext, false);
    }

    private Stmt parseFrom(int line) {
        Expr template = parseExpression(true);
        expectName("import");
        List<String> names = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        boolean withContext = false;
        while (true) {
            if (!names.isEmpty()) {
                expectOp(",");
            }
            if (current().kind() == Kind.NAME) {
                if ((current().isName("with") || current().isName("without")) && look().isName("context")) {
                    withContext = parseContext(false);
                    break;
                }
                String name = expectIdentifier();
                if (name.startsWith("_")) {
                    throw error("names starting with an underline can not be imported", current());
                }
                names.add(name);
                aliases.add(skipName("as") ? expectIdentifier() : name);
                if (!current().isOp(",")) {
                    break;
                }
            } else if (names.isEmpty()) {
                throw error("expected name, got " + current(), current());
            } else {
                break;
            }
        }
        withContext = parseContext(withContext);
        expectBlockEnd();
        return new Nodes.Load(line, "from", template, null, names, aliases, withContext, false);
    }

    /** Which of {@code names} the tokens in [from, to) read (not as an attribute): a macro takes extra arguments only then. */
    private Set<String> namesUsed(int from, int to, Set<String> names) {
        Set<String> used = new java.util.HashSet<>();
        for (int i = from; i < to; i++) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.NAME && names.contains(t.text()) && !(i > 0 && tokens.get(i - 1).isOp("."))) {
                used.add(t.text());
            }
        }
        return used;
    }

    private Target parseAssignTarget(boolean withTuple, boolean nameOnly, Set<String> extraEnd, boolean withNamespace) {
        Token t = current();
        if (withNamespace && t.kind() == Kind.NAME && look().isOp(".")) {
            pos += 2;
            String attr = expectIdentifier();
            return new Target(t.text(), null, attr);
        }
        Expr e = withTuple ? parseTuple(true, true, extraEnd, false) : parsePrimary();
        return toTarget(e, t);
    }

    private Target toTarget(Expr e, Token at) {
        if (e instanceof Nodes.Name n) {
            if (Set.of("true", "false", "none", "True", "False", "None").contains(n.name())) {
                throw error("Can't assign to " + n.name(), at);
            }
            return new Target(n.name(), null, null);
        }
        if (e instanceof Nodes.Display d && d.kind() == '(') {
            List<Target> items = new ArrayList<>();
            for (Expr item : d.items()) {
                items.add(toTarget(item, at));
            }
            return new Target(null, items, null);
        }
        throw error("can't assign to '" + e.getClass().getSimpleName().toLowerCase() + "'", at);
    }

    // ---- expressions ----

    private Expr parseExpression(boolean withCondexpr) {
        return withCondexpr ? parseCondexpr() : parseOr();
    }

    private Expr parseCondexpr() {
        int line = current().line();
        Expr expr1 = parseOr();
        while (skipName("if")) {
            Expr expr2 = parseOr();
            Expr expr3 = skipName("else") ? parseCondexpr() : null;
            expr1 = new Nodes.CondExpr(line, expr2, expr1, expr3);
        }
        return expr1;
    }

    private Expr parseOr() {
        return binaryLevel(this::parseAnd, t -> t.isName("or"));
    }

    private Expr parseAnd() {
        return binaryLevel(this::parseNot, t -> t.isName("and"));
    }

    private Expr parseNot() {
        int line = current().line();
        if (skipName("not")) {
            return new Nodes.Unary(line, "not", parseNot());
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int line = current().line();
        Expr expr = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.kind() == Kind.OP && COMPARE.contains(t.text())) {
                pos++;
                ops.add(t.text());
                rest.add(parseMath1());
            } else if (t.isName("in")) {
                pos++;
                ops.add("in");
                rest.add(parseMath1());
            } else if (t.isName("not") && look().isName("in")) {
                pos += 2;
                ops.add("notin");
                rest.add(parseMath1());
            } else {
                break;
            }
        }
        return ops.isEmpty() ? expr : new Nodes.Compare(line, expr, ops, rest);
    }

    private Expr parseMath1() {
        return binaryLevel(this::parseConcat, t -> t.isOp("+") || t.isOp("-"));
    }

    private Expr parseConcat() {
        return binaryLevel(this::parseMath2, t -> t.isOp("~"));
    }

    private Expr parseMath2() {
        return binaryLevel(this::parsePow, t -> t.isOp("*") || t.isOp("/") || t.isOp("//") || t.isOp("%"));
    }

    private Expr parsePow() {
        return binaryLevel(() -> parseUnary(true), t -> t.isOp("**"));
    }

    /**
     * One level of Jinja2's precedence: {@code operand (op operand)*} for the operators
     * {@code isOperator} takes, left-associative ({@code **} too, as in Jinja2), each node on the
     * line where the level starts.
     */
    private Expr binaryLevel(java.util.function.Supplier<Expr> operand, java.util.function.Predicate<Token> isOperator) {
        int line = current().line();
        Expr left = operand.get();
        while (isOperator.test(current())) {
            String op = next().text();
            left = new Nodes.Binary(line, op, left, operand.get());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = current();
        Expr node;
        if (t.isOp("-") || t.isOp("+")) {
            pos++;
            node = new Nodes.Unary(t.line(), t.text(), parseUnary(false));
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        if (withFilter) {
            node = parseFilterExpr(node);
        }
        return node;
    }

    private Expr parsePrimary() {
        Token t = current();
        switch (t.kind()) {
            case NAME -> {
                pos++;
                return switch (t.text()) {
                    case "true", "True" -> new Nodes.Const(t.line(), Boolean.TRUE);
                    case "false", "False" -> new Nodes.Const(t.line(), Boolean.FALSE);
                    case "none", "None" -> new Nodes.Const(t.line(), null);
                    default -> new Nodes.Name(t.line(), t.text());
                };
            }
            case STRING -> {
                pos++;
                StringBuilder b = new StringBuilder((String) t.value());
                while (current().kind() == Kind.STRING) {
                    b.append((String) next().value());
                }
                return new Nodes.Const(t.line(), b.toString());
            }
            case INT, FLOAT -> {
                pos++;
                return new Nodes.Const(t.line(), t.value());
            }
            case OP -> {
                if (t.isOp("(")) {
                    pos++;
                    Expr e = parseTuple(false, true, Set.of(), true);
                    expectOp(")");
                    return e;
                }
                if (t.isOp("[")) {
                    pos++;
                    List<Expr> items = new ArrayList<>();
                    while (!current().isOp("]")) {
                        if (!items.isEmpty()) {
                            expectOp(",");
                        }
                        if (current().isOp("]")) {
                            break;
                        }
                        items.add(parseExpression(true));
                    }
                    expectOp("]");
                    return new Nodes.Display(t.line(), '[', items, null);
                }
                if (t.isOp("{")) {
                    pos++;
                    List<Expr> keys = new ArrayList<>();
                    List<Expr> values = new ArrayList<>();
                    while (!current().isOp("}")) {
                        if (!keys.isEmpty()) {
                            expectOp(",");
                        }
                        if (current().isOp("}")) {
                            break;
                        }
                        keys.add(parseExpression(true));
                        expectOp(":");
                        values.add(parseExpression(true));
                    }
                    expectOp("}");
                    return new Nodes.Display(t.line(), '{', keys, values);
                }
                throw error("unexpected " + t, t);
            }
            default -> throw error("unexpected " + t, t);
        }
    }

    private boolean isTupleEnd(Set<String> extraEnd) {
        Token t = current();
        if (t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.isOp(")")) {
            return true;
        }
        return t.kind() == Kind.NAME && extraEnd.contains(t.text());
    }

    private Expr parseTuple(boolean simplified, boolean withCondexpr, Set<String> extraEnd, boolean explicitParentheses) {
        int line = current().line();
        List<Expr> args = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!args.isEmpty()) {
                expectOp(",");
            }
            if (isTupleEnd(extraEnd)) {
                break;
            }
            args.add(simplified ? parsePrimary() : parseExpression(withCondexpr));
            if (current().isOp(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (!isTuple) {
            if (!args.isEmpty()) {
                return args.get(0);
            }
            if (!explicitParentheses) {
                throw error("Expected an expression, got " + current(), current());
            }
        }
        return new Nodes.Display(line, '(', args, null);
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = current();
            if (t.isOp(".") || t.isOp("[")) {
                node = parseSubscript(node);
            } else if (t.isOp("(")) {
                node = new Nodes.Call(t.line(), node, parseCallArgs());
            } else {
                return node;
            }
        }
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = current();
            if (t.isOp("|")) {
                pos++;
                node = parseFilterCall(node);
            } else if (t.isName("is")) {
                pos++;
                node = parseTest(node, t);
            } else if (t.isOp("(")) {
                node = new Nodes.Call(t.line(), node, parseCallArgs());
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        Token t = next();
        if (t.isOp(".")) {
            Token attr = next();
            if (attr.kind() == Kind.NAME) {
                return new Nodes.GetAttr(t.line(), node, attr.text());
            }
            if (attr.kind() == Kind.INT) {
                return new Nodes.GetItem(t.line(), node, new Nodes.Const(t.line(), attr.value()));
            }
            throw error("expected name or number", attr);
        }
        List<Expr> args = new ArrayList<>();
        while (!current().isOp("]")) {
            if (!args.isEmpty()) {
                expectOp(",");
            }
            args.add(parseSubscribed());
        }
        expectOp("]");
        Expr key = args.size() == 1 ? args.get(0) : new Nodes.Display(t.line(), '(', args, null);
        return new Nodes.GetItem(t.line(), node, key);
    }

    private Expr parseSubscribed() {
        int line = current().line();
        Expr start = null;
        if (current().isOp(":")) {
            pos++;
        } else {
            Expr e = parseExpression(true);
            if (!current().isOp(":")) {
                return e;
            }
            pos++;
            start = e;
        }
        Expr stop = null;
        if (!current().isOp("]") && !current().isOp(",") && !current().isOp(":")) {
            stop = parseExpression(true);
        }
        Expr step = null;
        if (skipOp(":")) {
            if (!current().isOp("]") && !current().isOp(",")) {
                step = parseExpression(true);
            }
        }
        return new Nodes.Slice(line, start, stop, step);
    }

    private Args parseCallArgs() {
        Token open = expectOp("(");
        Args args = new Args();
        boolean requireComma = false;
        while (!current().isOp(")")) {
            if (requireComma) {
                expectOp(",");
                if (current().isOp(")")) {
                    break;
                }
            }
            if (skipOp("*")) {
                args.star = parseExpression(true);
            } else if (skipOp("**")) {
                args.starStar = parseExpression(true);
            } else if (current().kind() == Kind.NAME && look().isOp("=")) {
                String key = next().text();
                pos++;
                args.names.add(key);
                args.keywords.add(parseExpression(true));
            } else {
                if (!args.names.isEmpty() || args.starStar != null) {
                    throw error("positional argument follows keyword argument", current());
                }
                args.positional.add(parseExpression(true));
            }
            requireComma = true;
        }
        expectOp(")");
        return args;
    }

    private Nodes.Filter parseFilterCall(Expr node) {
        Token t = current();
        String name = expectIdentifier();
        while (current().isOp(".") && look().kind() == Kind.NAME) {
            pos++;
            name += "." + next().text();
        }
        if (!Filters.exists(name)) {
            throw new TemplateError("TemplateAssertionError", template, t.line(), "No filter named '" + name + "'.");
        }
        Args args = current().isOp("(") ? parseCallArgs() : new Args();
        return new Nodes.Filter(t.line(), node, name, args);
    }

    private Expr parseTest(Expr node, Token is) {
        boolean negated = skipName("not");
        Token t = current();
        String name = expectIdentifier();
        while (current().isOp(".") && look().kind() == Kind.NAME) {
            pos++;
            name += "." + next().text();
        }
        Args args;
        Token c = current();
        if (c.isOp("(")) {
            args = parseCallArgs();
        } else if ((c.kind() == Kind.NAME || c.kind() == Kind.STRING || c.kind() == Kind.INT || c.kind() == Kind.FLOAT
                || c.isOp("(") || c.isOp("[") || c.isOp("{"))
                && !(c.isName("else") || c.isName("or") || c.isName("and"))) {
            if (c.isName("is")) {
                throw error("You cannot chain multiple tests with is", c);
            }
            args = new Args();
            args.positional.add(parsePostfix(parsePrimary()));
        } else {
            args = new Args();
        }
        if (!Tests.exists(name)) {
            throw new TemplateError("TemplateAssertionError", template, t.line(), "No test named '" + name + "'.");
        }
        return new Nodes.Test(is.line(), node, name, args, negated);
    }
}
