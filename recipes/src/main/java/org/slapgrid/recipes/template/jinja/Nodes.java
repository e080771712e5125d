package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PySlice;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Values.Namespace;
import org.slapgrid.recipes.template.jinja.Values.Undefined;

/** The parsed template: expressions evaluate to Python values, statements write to the output. */
final class Nodes {

    private Nodes() {
    }

    abstract static class Expr {
        final int line;

        Expr(int line) {
            this.line = line;
        }

        abstract Object eval(Scope s, Renderer r);

        /** The names this expression reads (a constant reads none): what a frame's analysis loads. */
        void namesRead(Consumer<String> out) {
        }

        static void namesRead(Expr e, Consumer<String> out) {
            if (e != null) {
                e.namesRead(out);
            }
        }
    }

    static final class Const extends Expr {
        final Object value;

        Const(int line, Object value) {
            super(line);
            this.value = value;
        }

        @Override
        Object eval(Scope s, Renderer r) {
            return value;
        }
    }

    static final class Name extends Expr {
        final String name;

        Name(int line, String name) {
            super(line);
            this.name = name;
        }

        @Override
        void namesRead(Consumer<String> out) {
            out.accept(name);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            return s.lookup(name);
        }
    }

    /** A tuple, list or dict display; items evaluated left to right. */
    static final class Display extends Expr {
        final char kind; // '(' tuple, '[' list, '{' dict
        final List<Expr> items;
        final List<Expr> values;

        Display(int line, char kind, List<Expr> items, List<Expr> values) {
            super(line);
            this.kind = kind;
            this.items = items;
            this.values = values;
        }

        @Override
        void namesRead(Consumer<String> out) {
            items.forEach(e -> Expr.namesRead(e, out));
            if (values != null) {
                values.forEach(e -> Expr.namesRead(e, out));
            }
        }

        @Override
        Object eval(Scope s, Renderer r) {
            if (kind == '{') {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < items.size(); i++) {
                    map.put(Py.key(Py.check(items.get(i).eval(s, r))), values.get(i).eval(s, r));
                }
                return map;
            }
            List<Object> out = new ArrayList<>(items.size());
            for (Expr e : items) {
                out.add(e.eval(s, r));
            }
            return kind == '(' ? new PyTuple(out) : new PyList(out);
        }
    }

    static final class GetAttr extends Expr {
        final Expr obj;
        final String name;

        GetAttr(int line, Expr obj, String name) {
            super(line);
            this.obj = obj;
            this.name = name;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(obj, out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            return JinjaOps.getattr(obj.eval(s, r), name);
        }
    }

    static final class GetItem extends Expr {
        final Expr obj;
        final Expr key;

        GetItem(int line, Expr obj, Expr key) {
            super(line);
            this.obj = obj;
            this.key = key;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(obj, out);
            namesRead(key, out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            Object o = obj.eval(s, r);
            return JinjaOps.getitem(o, key.eval(s, r));
        }
    }

    static final class Slice extends Expr {
        final Expr start;
        final Expr stop;
        final Expr step;

        Slice(int line, Expr start, Expr stop, Expr step) {
            super(line);
            this.start = start;
            this.stop = stop;
            this.step = step;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(start, out);
            namesRead(stop, out);
            namesRead(step, out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            return new PySlice(start == null ? null : Py.check(start.eval(s, r)), stop == null ? null : Py.check(stop.eval(s, r)),
                    step == null ? null : Py.check(step.eval(s, r)));
        }
    }

    /** Call arguments: positional, keyword, {@code *args}, {@code **kwargs}. */
    static final class Args {
        final List<Expr> positional = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<Expr> keywords = new ArrayList<>();
        Expr star;
        Expr starStar;

        void namesRead(Consumer<String> out) {
            positional.forEach(e -> Expr.namesRead(e, out));
            keywords.forEach(e -> Expr.namesRead(e, out));
            Expr.namesRead(star, out);
            Expr.namesRead(starStar, out);
        }

        List<Object> positional(Scope s, Renderer r) {
            List<Object> out = new ArrayList<>(positional.size());
            for (Expr e : positional) {
                out.add(e.eval(s, r));
            }
            if (star != null) {
                for (Object o : Py.iterate(star.eval(s, r))) {
                    out.add(o);
                }
            }
            return out;
        }

        Map<String, Object> keywords(Scope s, Renderer r) {
            if (names.isEmpty() && starStar == null) {
                return Map.of();
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                out.put(names.get(i), keywords.get(i).eval(s, r));
            }
            if (starStar != null) {
                Object m = Py.check(starStar.eval(s, r));
                if (!(m instanceof Map<?, ?> map)) {
                    throw PyException.type("argument after ** must be a mapping, not " + Py.typeName(m));
                }
                map.forEach((k, v) -> out.put(Py.str(k), v));
            }
            return out;
        }
    }

    static final class Call extends Expr {
        final Expr fn;
        final Args args;

        Call(int line, Expr fn, Args args) {
            super(line);
            this.fn = fn;
            this.args = args;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(fn, out);
            args.namesRead(out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            Object f = fn.eval(s, r);
            return Methods.callValue(f, args.positional(s, r), args.keywords(s, r));
        }
    }

    static final class Filter extends Expr {
        final Expr value; // null inside {% filter %} blocks
        final String name;
        final Args args;

        Filter(int line, Expr value, String name, Args args) {
            super(line);
            this.value = value;
            this.name = name;
            this.args = args;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(value, out);
            args.namesRead(out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            return apply(value.eval(s, r), s, r);
        }

        Object apply(Object v, Scope s, Renderer r) {
            return Filters.apply(name, v, args.positional(s, r), args.keywords(s, r), s, r);
        }
    }

    static final class Test extends Expr {
        final Expr value;
        final String name;
        final Args args;
        final boolean negated;

        Test(int line, Expr value, String name, Args args, boolean negated) {
            super(line);
            this.value = value;
            this.name = name;
            this.args = args;
            this.negated = negated;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(value, out);
            args.namesRead(out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            boolean result = Tests.apply(name, value.eval(s, r), args.positional(s, r), args.keywords(s, r), s);
            return result != negated;
        }
    }

    static final class Binary extends Expr {
        final String op;
        final Expr left;
        final Expr right;

        Binary(int line, String op, Expr left, Expr right) {
            super(line);
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(left, out);
            namesRead(right, out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            Object a = left.eval(s, r);
            switch (op) {
                case "and":
                    return Py.truthy(a) ? right.eval(s, r) : a;
                case "or":
                    return Py.truthy(a) ? a : right.eval(s, r);
                default:
                    break;
            }
            Object b = right.eval(s, r);
            return switch (op) {
                case "+" -> JinjaOps.add(a, b);
                case "-" -> Py.sub(a, b);
                case "*" -> Py.mul(a, b);
                case "/" -> Py.truediv(a, b);
                case "//" -> Py.floordiv(a, b);
                case "%" -> JinjaOps.mod(a, b);
                case "**" -> Py.pow(a, b);
                case "~" -> Py.str(a) + Py.str(b);
                default -> throw new IllegalStateException(op);
            };
        }
    }

    static final class Unary extends Expr {
        final String op;
        final Expr operand;

        Unary(int line, String op, Expr operand) {
            super(line);
            this.op = op;
            this.operand = operand;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(operand, out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            Object v = operand.eval(s, r);
            return switch (op) {
                case "not" -> !Py.truthy(v);
                case "-" -> Py.neg(v);
                default -> Py.pos(v);
            };
        }
    }

    /** {@code a < b <= c}, {@code x in y}, {@code x not in y}: chained as in Python. */
    static final class Compare extends Expr {
        final Expr first;
        final List<String> ops;
        final List<Expr> rest;

        Compare(int line, Expr first, List<String> ops, List<Expr> rest) {
            super(line);
            this.first = first;
            this.ops = ops;
            this.rest = rest;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(first, out);
            rest.forEach(e -> Expr.namesRead(e, out));
        }

        @Override
        Object eval(Scope s, Renderer r) {
            Object a = first.eval(s, r);
            for (int i = 0; i < ops.size(); i++) {
                Object b = rest.get(i).eval(s, r);
                if (!compare(ops.get(i), a, b)) {
                    return false;
                }
                a = b;
            }
            return true;
        }

        static boolean compare(String op, Object a, Object b) {
            return switch (op) {
                case "==" -> Py.eq(a, b);
                case "!=" -> !Py.eq(a, b);
                case "<" -> Py.compare(a, b, op) < 0;
                case "<=" -> Py.compare(a, b, op) <= 0;
                case ">" -> Py.compare(a, b, op) > 0;
                case ">=" -> Py.compare(a, b, op) >= 0;
                case "in" -> Py.contains(b, a);
                case "notin" -> !Py.contains(b, a);
                default -> throw new IllegalStateException(op);
            };
        }
    }

    static final class CondExpr extends Expr {
        final Expr test;
        final Expr then;
        final Expr otherwise;

        CondExpr(int line, Expr test, Expr then, Expr otherwise) {
            super(line);
            this.test = test;
            this.then = then;
            this.otherwise = otherwise;
        }

        @Override
        void namesRead(Consumer<String> out) {
            namesRead(test, out);
            namesRead(then, out);
            namesRead(otherwise, out);
        }

        @Override
        Object eval(Scope s, Renderer r) {
            if (Py.truthy(test.eval(s, r))) {
                return then.eval(s, r);
            }
            if (otherwise == null) {
                return new Undefined("the inline if-expression on line " + line
                        + " evaluated to false and no else section was defined.", true);
            }
            return otherwise.eval(s, r);
        }
    }

    // ---- statements ----

    abstract static class Stmt {
        final int line;

        Stmt(int line) {
            this.line = line;
        }

        /** How an error message names the construct. */
        abstract String construct();

        abstract void exec(Scope s, Renderer r, StringBuilder out);
    }

    static final class Data extends Stmt {
        final String text;

        Data(int line, String text) {
            super(line);
            this.text = text;
        }

        @Override
        String construct() {
            return "text";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            out.append(text);
        }
    }

    static final class Print extends Stmt {
        final Expr expr;
        final String source;
        final Boolean escape;   // null: as the {% autoescape %} being rendered says

        Print(int line, Expr expr, String source, Boolean escape) {
            super(line);
            this.expr = expr;
            this.source = source;
            this.escape = escape;
        }

        @Override
        String construct() {
            return "{{ " + source + " }}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            Object v = expr.eval(s, r);
            boolean e = escape == null ? r.autoescape : escape;
            out.append(e ? Filters.escape(v) : Py.str(v));
        }
    }

    static final class If extends Stmt {
        final List<Expr> tests;
        final List<List<Stmt>> bodies;
        final List<Stmt> otherwise;

        If(int line, List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise) {
            super(line);
            this.tests = tests;
            this.bodies = bodies;
            this.otherwise = otherwise;
        }

        @Override
        String construct() {
            return "{% if %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            for (int i = 0; i < tests.size(); i++) {
                if (Py.truthy(tests.get(i).eval(s, r))) {
                    r.execute(bodies.get(i), s, out);
                    return;
                }
            }
            if (otherwise != null) {
                r.execute(otherwise, s, out);
            }
        }
    }

    /** Where an assignment goes: a name, a tuple of targets, or a namespace attribute. */
    static final class Target {
        final String name;
        final List<Target> items;
        final String attribute;

        Target(String name, List<Target> items, String attribute) {
            this.name = name;
            this.items = items;
            this.attribute = attribute;
        }

        void assign(Scope s, Object value) {
            if (items != null) {
                List<Object> values = Py.toList(value);
                if (values.size() != items.size()) {
                    throw PyException.value(values.size() < items.size()
                            ? "not enough values to unpack (expected " + items.size() + ", got " + values.size() + ")"
                            : "too many values to unpack (expected " + items.size() + ")");
                }
                for (int i = 0; i < items.size(); i++) {
                    items.get(i).assign(s, values.get(i));
                }
            } else if (attribute != null) {
                Object ns = Py.check(s.lookup(name));
                if (!(ns instanceof Namespace n)) {
                    throw new PyException("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
                }
                n.attrs.put(attribute, value);
            } else {
                s.set(name, value);
            }
        }
    }

    static final class For extends Stmt {
        final Target target;
        final Expr iterable;
        final Expr condition;
        final boolean recursive;
        final List<Stmt> body;
        final List<Stmt> otherwise;
        /** Names the body (the else) binds before assigning them ({@link FrameNames}), set once after parsing. */
        java.util.Set<String> bodyUnbound = java.util.Set.of();
        java.util.Set<String> otherwiseUnbound = java.util.Set.of();

        For(int line, Target target, Expr iterable, Expr condition, boolean recursive, List<Stmt> body, List<Stmt> otherwise) {
            super(line);
            this.target = target;
            this.iterable = iterable;
            this.condition = condition;
            this.recursive = recursive;
            this.body = body;
            this.otherwise = otherwise;
        }

        @Override
        String construct() {
            return "{% for %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            run(iterable.eval(s, r), s, r, out, 0);
        }

        void run(Object items, Scope s, Renderer r, StringBuilder out, int depth) {
            List<Object> values = new ArrayList<>();
            Scope probe = condition == null ? null : new Scope(s);
            for (Object o : Py.iterate(items)) {
                if (probe != null) {
                    target.assign(probe, o);
                    if (!Py.truthy(condition.eval(probe, r))) {
                        continue;
                    }
                }
                values.add(o);
            }
            if (values.isEmpty()) {
                if (otherwise != null) {
                    r.execute(otherwise, Scope.frame(s, otherwiseUnbound), out);
                }
                return;
            }
            Loop loop = new Loop(values, depth, recursive ? this : null, s, r);
            // As Jinja2 compiles for-else: the else runs unless some iteration ran its body to the
            // end (a break or continue before the end of every iteration runs it too).
            boolean completed = false;
            for (int i = 0; i < values.size(); i++) {
                // Each iteration has its own names: what one sets is gone in the next, as in Jinja2.
                Scope scope = Scope.frame(s, bodyUnbound);
                scope.set("loop", loop);
                loop.index = i;
                target.assign(scope, values.get(i));
                try {
                    r.execute(body, scope, out);
                    completed = true;
                } catch (LoopControl c) {
                    if (c == LoopControl.BREAK) {
                        break;
                    }
                }
            }
            if (!completed && otherwise != null) {
                r.execute(otherwise, Scope.frame(s, otherwiseUnbound), out);
            }
        }
    }

    /** {@code {% break %}} and {@code {% continue %}} (the loopcontrols extension). */
    static final class LoopControl extends RuntimeException {
        static final LoopControl BREAK = new LoopControl();
        static final LoopControl CONTINUE = new LoopControl();

        private LoopControl() {
            super(null, null, false, false);
        }
    }

    static final class Control extends Stmt {
        final boolean isBreak;

        Control(int line, boolean isBreak) {
            super(line);
            this.isBreak = isBreak;
        }

        @Override
        String construct() {
            return isBreak ? "{% break %}" : "{% continue %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            throw isBreak ? LoopControl.BREAK : LoopControl.CONTINUE;
        }
    }

    static final class Set extends Stmt {
        final Target target;
        final Expr value;
        final List<Stmt> body; // block set
        final List<Filter> filters;
        /** Names the block binds before assigning them ({@link FrameNames}), set once after parsing. */
        java.util.Set<String> bodyUnbound = java.util.Set.of();

        Set(int line, Target target, Expr value, List<Stmt> body, List<Filter> filters) {
            super(line);
            this.target = target;
            this.value = value;
            this.body = body;
            this.filters = filters;
        }

        @Override
        String construct() {
            return "{% set %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            if (value != null) {
                target.assign(s, value.eval(s, r));
                return;
            }
            // The block is a frame of its own: what it sets stays inside, as in Jinja2.
            StringBuilder captured = new StringBuilder();
            r.execute(body, Scope.frame(s, bodyUnbound), captured);
            Object v = captured.toString();
            for (Filter f : filters) {
                v = f.apply(v, s, r);
            }
            target.assign(s, v);
        }
    }

    static final class Do extends Stmt {
        final Expr expr;

        Do(int line, Expr expr) {
            super(line);
            this.expr = expr;
        }

        @Override
        String construct() {
            return "{% do %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            expr.eval(s, r);
        }
    }

    /** What a macro (or the caller of a call block) is made of; {@code uses}: which of varargs/kwargs it reads. */
    static final class MacroBody {
        private final List<String> params;
        private final List<Expr> defaults;
        private final List<Stmt> body;
        private final java.util.Set<String> uses;
        /** Names the body binds before it assigns them ({@link FrameNames}), set once after parsing. */
        java.util.Set<String> unbound = java.util.Set.of();

        MacroBody(List<String> params, List<Expr> defaults, List<Stmt> body, java.util.Set<String> uses) {
            this.params = params;
            this.defaults = defaults;
            this.body = body;
            this.uses = uses;
        }

        List<String> params() {
            return params;
        }

        List<Expr> defaults() {
            return defaults;
        }

        List<Stmt> body() {
            return body;
        }

        java.util.Set<String> uses() {
            return uses;
        }
    }

    static final class MacroDef extends Stmt {
        final String name;
        final MacroBody macro;

        MacroDef(int line, String name, MacroBody macro) {
            super(line);
            this.name = name;
            this.macro = macro;
        }

        @Override
        String construct() {
            return "{% macro " + name + " %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            s.set(name, new Macro(name, macro, s, r));
        }
    }

    static final class CallBlock extends Stmt {
        final Call call;
        final MacroBody caller;

        CallBlock(int line, Call call, MacroBody caller) {
            super(line);
            this.call = call;
            this.caller = caller;
        }

        @Override
        String construct() {
            return "{% call %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            Macro caller = new Macro("caller", this.caller, s, r);
            Object fn = Py.check(call.fn.eval(s, r));
            List<Object> args = call.args.positional(s, r);
            Map<String, Object> kwargs = new LinkedHashMap<>(call.args.keywords(s, r));
            if (fn instanceof Macro m) {
                out.append(Py.str(m.invoke(args, kwargs, caller)));
            } else {
                kwargs.put("caller", caller);
                out.append(Py.str(Methods.callValue(fn, args, kwargs)));
            }
        }
    }

    static final class FilterBlock extends Stmt {
        final List<Filter> filters;
        final List<Stmt> body;
        /** Names the block binds before assigning them ({@link FrameNames}), set once after parsing. */
        java.util.Set<String> bodyUnbound = java.util.Set.of();

        FilterBlock(int line, List<Filter> filters, List<Stmt> body) {
            super(line);
            this.filters = filters;
            this.body = body;
        }

        @Override
        String construct() {
            return "{% filter %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            // The block is a frame of its own: what it sets stays inside, as in Jinja2.
            StringBuilder captured = new StringBuilder();
            r.execute(body, Scope.frame(s, bodyUnbound), captured);
            Object v = captured.toString();
            for (Filter f : filters) {
                v = f.apply(v, s, r);
            }
            out.append(Py.str(v));
        }
    }

    static final class With extends Stmt {
        final List<Target> targets;
        final List<Expr> values;
        final List<Stmt> body;
        /** Names the body binds before assigning them ({@link FrameNames}), set once after parsing. */
        java.util.Set<String> bodyUnbound = java.util.Set.of();

        With(int line, List<Target> targets, List<Expr> values, List<Stmt> body) {
            super(line);
            this.targets = targets;
            this.values = values;
            this.body = body;
        }

        @Override
        String construct() {
            return "{% with %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            Scope inner = Scope.frame(s, bodyUnbound);
            for (int i = 0; i < targets.size(); i++) {
                targets.get(i).assign(inner, values.get(i).eval(s, r));
            }
            r.execute(body, inner, out);
        }
    }

    /** {@code {% include %}}, {@code {% import %}} and {@code {% from ... import %}}. */
    static final class Load extends Stmt {
        final String kind;
        final Expr template;
        final String alias;
        final List<String> names;
        final List<String> aliases;
        final boolean withContext;
        final boolean ignoreMissing;

        Load(int line, String kind, Expr template, String alias, List<String> names, List<String> aliases,
             boolean withContext, boolean ignoreMissing) {
            super(line);
            this.kind = kind;
            this.template = template;
            this.alias = alias;
            this.names = names;
            this.aliases = aliases;
            this.withContext = withContext;
            this.ignoreMissing = ignoreMissing;
        }

        @Override
        String construct() {
            return "{% " + kind + " %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            Object name = Py.check(template.eval(s, r));
            if (kind.equals("include")) {
                r.include(name, s, out, ignoreMissing);
                return;
            }
            Values.HasAttributes module = r.importTemplate(Py.str(name), withContext ? s : null);
            if (kind.equals("import")) {
                s.set(alias, module);
                return;
            }
            for (int i = 0; i < names.size(); i++) {
                Object v = module.attribute(names.get(i));
                if (v == Values.MISSING) {
                    v = new Undefined("the template " + Py.repr(Py.str(name)) + " does not export the requested name "
                            + Py.repr(names.get(i)));
                }
                s.set(aliases.get(i), v);
            }
        }
    }

    /** {@code {% block %}}: renders the most derived definition of the block (see Renderer). */
    static final class Block extends Stmt {
        final String name;
        final boolean scoped;
        final List<Stmt> body;

        Block(int line, String name, boolean scoped, List<Stmt> body) {
            super(line);
            this.name = name;
            this.scoped = scoped;
            this.body = body;
        }

        @Override
        String construct() {
            return "{% block " + name + " %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            out.append(r.renderBlock(name, 0, s));
        }
    }

    static final class Extends extends Stmt {
        final Expr parent;

        Extends(int line, Expr parent) {
            super(line);
            this.parent = parent;
        }

        @Override
        String construct() {
            return "{% extends %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            r.extend(Py.check(parent.eval(s, r)));
        }
    }

    /** {@code {% autoescape true %}}: values printed inside are HTML-escaped (Markup is not). */
    static final class AutoEscape extends Stmt {
        final Expr on;
        final List<Stmt> body;
        /** Names the body binds before assigning them ({@link FrameNames}), set once after parsing. */
        java.util.Set<String> bodyUnbound = java.util.Set.of();

        AutoEscape(int line, Expr on, List<Stmt> body) {
            super(line);
            this.on = on;
            this.body = body;
        }

        @Override
        String construct() {
            return "{% autoescape %}";
        }

        @Override
        void exec(Scope s, Renderer r, StringBuilder out) {
            boolean saved = r.autoescape;
            r.autoescape = Py.truthy(on.eval(s, r));
            try {
                r.execute(body, Scope.frame(s, bodyUnbound), out);   // a frame of its own, as in Jinja2
            } finally {
                r.autoescape = saved;
            }
        }
    }
}
