package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PySlice;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Values.Namespace;
import org.slapgrid.recipes.template.jinja.Values.Undefined;

/**
 * The parsed template: expressions evaluate to Python values, statements write to the output.
 * Each node is a record of what the parser read (its line first); only a frame's {@link Body}
 * is completed after parsing, by {@link FrameNames}.
 */
final class Nodes {

    private Nodes() {
    }

    sealed interface Expr {
        int line();

        Object eval(Scope s, Renderer r);
    }

    record Const(int line, Object value) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            return value;
        }
    }

    record Name(int line, String name) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            return s.lookup(name);
        }
    }

    /** A tuple, list or dict display ({@code kind} '(', '[' or '{'; {@code values} only for a dict); items evaluated left to right. */
    record Display(int line, char kind, List<Expr> items, List<Expr> values) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
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

    record GetAttr(int line, Expr obj, String name) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            return JinjaOps.getattr(obj.eval(s, r), name);
        }
    }

    record GetItem(int line, Expr obj, Expr key) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            Object o = obj.eval(s, r);
            return JinjaOps.getitem(o, key.eval(s, r));
        }
    }

    /** {@code start:stop:step}, each part optional (null). */
    record Slice(int line, Expr start, Expr stop, Expr step) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            return new PySlice(part(start, s, r), part(stop, s, r), part(step, s, r));
        }

        private static Object part(Expr e, Scope s, Renderer r) {
            return e == null ? null : Py.check(e.eval(s, r));
        }
    }

    /** Call arguments: positional, keyword, {@code *args}, {@code **kwargs} (filled in by the parser). */
    static final class Args {
        final List<Expr> positional = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        final List<Expr> keywords = new ArrayList<>();
        Expr star;
        Expr starStar;

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

    record Call(int line, Expr fn, Args args) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            Object f = fn.eval(s, r);
            return Methods.callValue(f, args.positional(s, r), args.keywords(s, r));
        }
    }

    /** {@code value | name(args)}; {@code value} is null in the filters of a filter or set block. */
    record Filter(int line, Expr value, String name, Args args) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            return apply(value.eval(s, r), s, r);
        }

        Object apply(Object v, Scope s, Renderer r) {
            return Filters.apply(name, v, args.positional(s, r), args.keywords(s, r), s, r);
        }

        /** {@code v} through each of {@code filters} in turn (what a filter or set block does to its output). */
        static Object chain(List<Filter> filters, Object v, Scope s, Renderer r) {
            for (Filter f : filters) {
                v = f.apply(v, s, r);
            }
            return v;
        }
    }

    /** {@code value is [not] name(args)}. */
    record Test(int line, Expr value, String name, Args args, boolean negated) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            boolean result = Tests.apply(name, value.eval(s, r), args.positional(s, r), args.keywords(s, r), s);
            return result != negated;
        }
    }

    record Binary(int line, String op, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
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

    record Unary(int line, String op, Expr operand) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
            Object v = operand.eval(s, r);
            return switch (op) {
                case "not" -> !Py.truthy(v);
                case "-" -> Py.neg(v);
                default -> Py.pos(v);
            };
        }
    }

    /** {@code a < b <= c}, {@code x in y}, {@code x not in y}: chained as in Python. */
    record Compare(int line, Expr first, List<String> ops, List<Expr> rest) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
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

    /** {@code then if test else otherwise}; {@code otherwise} null without else. */
    record CondExpr(int line, Expr test, Expr then, Expr otherwise) implements Expr {
        @Override
        public Object eval(Scope s, Renderer r) {
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

    sealed interface Stmt {
        int line();

        void exec(Scope s, Renderer r, StringBuilder out);

        /** How an error message names the construct: its tag (a print: as written). */
        default String construct() {
            if (this instanceof Data) {
                return "text";
            } else if (this instanceof Print p) {
                return "{{ " + p.source() + " }}";
            }
            return "{% " + tag(this) + " %}";
        }

        private static String tag(Stmt s) {
            if (s instanceof Control c) {
                return c.isBreak() ? "break" : "continue";
            } else if (s instanceof MacroDef m) {
                return "macro " + m.name();
            } else if (s instanceof Block b) {
                return "block " + b.name();
            } else if (s instanceof Load l) {
                return l.kind();
            }
            return s instanceof If ? "if"
                    : s instanceof For ? "for"
                    : s instanceof Set ? "set"
                    : s instanceof Do ? "do"
                    : s instanceof CallBlock ? "call"
                    : s instanceof FilterBlock ? "filter"
                    : s instanceof With ? "with"
                    : s instanceof Extends ? "extends"
                    : s instanceof AutoEscape ? "autoescape"
                    : unknown(s);
        }

        // Stmt is sealed: a statement added there without a tag here is a mistake of ours.
        private static String unknown(Stmt s) {
            throw new IllegalStateException("no tag for " + s.getClass().getSimpleName());
        }
    }

    /**
     * The statements of a frame of their own (a loop body, a macro, a with, filter, set or
     * autoescape block): what it sets stays inside, as in Jinja2.
     */
    static final class Body {
        final List<Stmt> stmts;
        /** Names the frame binds before assigning them ({@link FrameNames}), set once after parsing. */
        java.util.Set<String> unbound = java.util.Set.of();

        Body(List<Stmt> stmts) {
            this.stmts = stmts;
        }

        /** A new frame for these statements inside {@code outer}. */
        Scope frame(Scope outer) {
            return Scope.frame(outer, unbound);
        }

        void run(Scope outer, Renderer r, StringBuilder out) {
            r.execute(stmts, frame(outer), out);
        }

        /** What the statements print, run in a frame inside {@code outer}. */
        String render(Scope outer, Renderer r) {
            StringBuilder captured = new StringBuilder();
            run(outer, r, captured);
            return captured.toString();
        }
    }

    record Data(int line, String text) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            out.append(text);
        }
    }

    /** {@code {{ expr }}}; {@code escape} null: as the {@code {% autoescape %}} being rendered says. */
    record Print(int line, Expr expr, String source, Boolean escape) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            Object v = expr.eval(s, r);
            boolean e = escape == null ? r.autoescape : escape;
            out.append(e ? Filters.escape(v) : Py.str(v));
        }
    }

    /** {@code {% if %}}: {@code bodies[i]} runs for the first true {@code tests[i]}, else {@code otherwise} (may be null). */
    record If(int line, List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
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

    /** Where an assignment goes: a name, a tuple of targets ({@code items}), or a namespace attribute. */
    record Target(String name, List<Target> items, String attribute) {
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

    /** {@code {% for target in iterable if condition recursive %}}; {@code condition}, {@code otherwise} may be null. */
    record For(int line, Target target, Expr iterable, Expr condition, boolean recursive, Body body, Body otherwise)
            implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
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
                    otherwise.run(s, r, out);
                }
                return;
            }
            Loop loop = new Loop(values, depth, recursive ? this : null, s, r);
            // As Jinja2 compiles for-else: the else runs unless some iteration ran its body to the
            // end (a break or continue before the end of every iteration runs it too).
            boolean completed = false;
            for (int i = 0; i < values.size(); i++) {
                // Each iteration has its own names: what one sets is gone in the next, as in Jinja2.
                Scope scope = body.frame(s);
                scope.set("loop", loop);
                loop.index = i;
                target.assign(scope, values.get(i));
                try {
                    r.execute(body.stmts, scope, out);
                    completed = true;
                } catch (LoopControl c) {
                    if (c == LoopControl.BREAK) {
                        break;
                    }
                }
            }
            if (!completed && otherwise != null) {
                otherwise.run(s, r, out);
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

    record Control(int line, boolean isBreak) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            throw isBreak ? LoopControl.BREAK : LoopControl.CONTINUE;
        }
    }

    /** {@code {% set target = value %}}, or the block set (value null): {@code body} through {@code filters}. */
    record Set(int line, Target target, Expr value, Body body, List<Filter> filters) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            if (value != null) {
                target.assign(s, value.eval(s, r));
                return;
            }
            target.assign(s, Filter.chain(filters, body.render(s, r), s, r));
        }
    }

    record Do(int line, Expr expr) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            expr.eval(s, r);
        }
    }

    /** What a macro (or the caller of a call block) is made of; {@code uses}: which of varargs/kwargs it reads. */
    record MacroBody(List<String> params, List<Expr> defaults, Body body, java.util.Set<String> uses) {
    }

    record MacroDef(int line, String name, MacroBody macro) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            s.set(name, new Macro(name, macro, s, r));
        }
    }

    record CallBlock(int line, Call call, MacroBody caller) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            Macro caller = new Macro("caller", this.caller, s, r);
            Object fn = Py.check(call.fn().eval(s, r));
            List<Object> args = call.args().positional(s, r);
            Map<String, Object> kwargs = new LinkedHashMap<>(call.args().keywords(s, r));
            if (fn instanceof Macro m) {
                out.append(Py.str(m.invoke(args, kwargs, caller)));
            } else {
                kwargs.put("caller", caller);
                out.append(Py.str(Methods.callValue(fn, args, kwargs)));
            }
        }
    }

    record FilterBlock(int line, List<Filter> filters, Body body) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            out.append(Py.str(Filter.chain(filters, body.render(s, r), s, r)));
        }
    }

    /** {@code {% with t1 = v1, ... %}}: the values evaluated outside, assigned inside the body's frame. */
    record With(int line, List<Target> targets, List<Expr> values, Body body) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            Scope inner = body.frame(s);
            for (int i = 0; i < targets.size(); i++) {
                targets.get(i).assign(inner, values.get(i).eval(s, r));
            }
            r.execute(body.stmts, inner, out);
        }
    }

    /**
     * {@code {% include %}}, {@code {% import template as alias %}} and
     * {@code {% from template import names as aliases %}} ({@code kind} the tag's name).
     */
    record Load(int line, String kind, Expr template, String alias, List<String> names, List<String> aliases,
                boolean withContext, boolean ignoreMissing) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
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
    record Block(int line, String name, boolean scoped, List<Stmt> body) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            out.append(r.renderBlock(name, 0, s));
        }
    }

    record Extends(int line, Expr parent) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            r.extend(Py.check(parent.eval(s, r)));
        }
    }

    /** {@code {% autoescape on %}}: values printed inside are HTML-escaped (Markup is not). */
    record AutoEscape(int line, Expr on, Body body) implements Stmt {
        @Override
        public void exec(Scope s, Renderer r, StringBuilder out) {
            boolean saved = r.autoescape;
            r.autoescape = Py.truthy(on.eval(s, r));
            try {
                body.run(s, r, out);
            } finally {
                r.autoescape = saved;
            }
        }
    }
}
