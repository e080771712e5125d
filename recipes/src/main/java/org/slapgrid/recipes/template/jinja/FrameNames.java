package org.slapgrid.recipes.template.jinja;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.recipes.template.jinja.Nodes.Expr;
import org.slapgrid.recipes.template.jinja.Nodes.Stmt;
import org.slapgrid.recipes.template.jinja.Nodes.Target;

/**
 * Which names each frame of a template binds before it assigns them, as Jinja2 (3.1.2, Debian's)
 * decides when it compiles ({@code jinja2/idtracking.py}): a name whose first mention in a frame
 * (the template, a loop body, a macro, a with, filter, set or autoescape block) is an assignment,
 * and that no enclosing frame mentions, is a local of that frame from its start: a nested frame (a
 * macro, a loop body) reading it before the assignment runs gets undefined, never the context's
 * value of the same name. A name first assigned inside an {@code if} is resolved from the context
 * until assigned, unless the if's body, one of its elifs and its else all assign it (Jinja2's
 * {@code branch_update}); a name first read is resolved from the context.
 *
 * <p>The renderer otherwise resolves names when it reads them; this pass, run once after parsing,
 * gives each frame the set to pre-declare ({@link Scope#declareUnbound}).
 */
final class FrameNames {

    private enum Load { RESOLVE, UNDEFINED, OUTER }

    /** What a frame (or one branch of an if in it) knows: how each name it mentions starts, which it assigns. */
    private static final class Symbols {
        final Map<String, Load> loads;
        final Set<String> stores;

        Symbols(Map<String, Load> loads, Set<String> stores) {
            this.loads = loads;
            this.stores = stores;
        }

        Symbols copy() {
            return new Symbols(new HashMap<>(loads), new HashSet<>(stores));
        }
    }

    private final FrameNames parent;
    private Symbols symbols;

    private FrameNames(FrameNames parent, Set<String> params) {
        this.parent = parent;
        this.symbols = new Symbols(new HashMap<>(), new HashSet<>(params));
        params.forEach(p -> symbols.loads.put(p, Load.RESOLVE));
    }

    /** Analyses a template's body and every frame inside it; returns the template's own set. */
    static Set<String> analyseTemplate(List<Stmt> body) {
        return analyse(body, null, Set.of(), List.of());
    }

    /** {@code first}: expressions the frame evaluates before its body (a macro's defaults). */
    private static Set<String> analyse(List<Stmt> body, FrameNames parent, Set<String> params, List<Expr> first) {
        FrameNames frame = new FrameNames(parent, params);
        first.forEach(frame::expr);
        frame.visit(body);
        // Frames inside are analysed after this one is complete: Jinja2 looks at the enclosing
        // frame's names as a whole, wherever they come in it.
        frame.visitInner(body);
        Set<String> unbound = new LinkedHashSet<>();
        frame.symbols.loads.forEach((name, load) -> {
            if (load == Load.UNDEFINED) {
                unbound.add(name);
            }
        });
        return Set.copyOf(unbound);
    }

    private boolean mentionedOutside(String name) {
        for (FrameNames f = parent; f != null; f = f.parent) {
            if (f.symbols.loads.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    private void load(String name) {
        if (!symbols.loads.containsKey(name)) {
            symbols.loads.put(name, mentionedOutside(name) ? Load.OUTER : Load.RESOLVE);
        }
    }

    private void store(String name) {
        symbols.stores.add(name);
        if (!symbols.loads.containsKey(name)) {
            symbols.loads.put(name, mentionedOutside(name) ? Load.OUTER : Load.UNDEFINED);
        }
    }

    private void store(Target t) {
        if (t.items() != null) {
            t.items().forEach(this::store);
        } else if (t.attribute() != null) {
            load(t.name());   // ns.attr = ... reads ns
        } else {
            store(t.name());
        }
    }

    /** Visits {@code body} in a copy of this frame's symbols (one branch of an if); returns the copy. */
    private Symbols branch(Symbols base, Runnable visit) {
        Symbols saved = symbols;
        symbols = base.copy();
        try {
            visit.run();
            return symbols;
        } finally {
            symbols = saved;
        }
    }

    /** {@code {% if %}}: the test here, each branch in its own copy, then merged as Jinja2's branch_update does. */
    private void visitIf(List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise) {
        expr(tests.get(0));
        Symbols base = symbols;
        List<Symbols> branches = List.of(
                branch(base, () -> visit(bodies.get(0))),
                // Jinja2 visits the elifs together, each an if of its own with no else.
                branch(base, () -> {
                    for (int i = 1; i < tests.size(); i++) {
                        visitIf(List.of(tests.get(i)), List.of(bodies.get(i)), null);
                    }
                }),
                branch(base, () -> visit(otherwise == null ? List.of() : otherwise)));
        Map<String, Integer> stored = new HashMap<>();
        for (Symbols b : branches) {
            for (String name : b.stores) {
                if (!base.stores.contains(name)) {
                    stored.merge(name, 1, Integer::sum);
                }
            }
        }
        for (Symbols b : branches) {
            base.loads.putAll(b.loads);
            base.stores.addAll(b.stores);
        }
        stored.forEach((name, count) -> {
            if (count != branches.size()) {
                base.loads.put(name, mentionedOutside(name) ? Load.OUTER : Load.RESOLVE);
            }
        });
    }

    /** This frame's own level: nested frames contribute only what runs in this frame. */
    private void visit(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Nodes.Print p) {
                expr(p.expr());
            } else if (s instanceof Nodes.If i) {
                visitIf(i.tests(), i.bodies(), i.otherwise());
            } else if (s instanceof Nodes.For f) {
                expr(f.iterable());
            } else if (s instanceof Nodes.Set set) {
                if (set.value() != null) {
                    expr(set.value());
                }
                store(set.target());
            } else if (s instanceof Nodes.Do d) {
                expr(d.expr());
            } else if (s instanceof Nodes.MacroDef m) {
                store(m.name());
            } else if (s instanceof Nodes.CallBlock c) {
                expr(c.call());
            } else if (s instanceof Nodes.FilterBlock fb) {
                fb.filters().forEach(f -> args(f.args()));
            } else if (s instanceof Nodes.With w) {
                w.values().forEach(this::expr);
            } else if (s instanceof Nodes.Load l) {
                expr(l.template());
                if (l.alias() != null) {
                    store(l.alias());
                }
                if (l.aliases() != null) {
                    l.aliases().forEach(this::store);
                }
            } else if (s instanceof Nodes.Extends e) {
                expr(e.parent());
            } else if (s instanceof Nodes.AutoEscape a) {
                expr(a.on());
            }
        }
    }

    /** The frames directly inside this one's level (through if branches), each analysed in turn. */
    private void visitInner(List<Stmt> body) {
        for (Stmt s : body) {
            if (s instanceof Nodes.If i) {
                i.bodies().forEach(this::visitInner);
                if (i.otherwise() != null) {
                    visitInner(i.otherwise());
                }
            } else if (s instanceof Nodes.For f) {
                Set<String> params = new HashSet<>(Set.of("loop"));
                collect(f.target(), params);
                analyse(f.body(), params);
                if (f.otherwise() != null) {
                    analyse(f.otherwise(), Set.of());
                }
            } else if (s instanceof Nodes.Set set && set.body() != null) {
                analyse(set.body(), Set.of());
            } else if (s instanceof Nodes.MacroDef m) {
                macro(m.macro());
            } else if (s instanceof Nodes.CallBlock c) {
                macro(c.caller());
            } else if (s instanceof Nodes.FilterBlock fb) {
                analyse(fb.body(), Set.of());
            } else if (s instanceof Nodes.With w) {
                Set<String> params = new HashSet<>();
                w.targets().forEach(t -> collect(t, params));
                analyse(w.body(), params);
            } else if (s instanceof Nodes.AutoEscape a) {
                analyse(a.body(), Set.of());
            }
            // Blocks render with the template's context, not its locals: nothing to declare.
        }
    }

    /** Analyses a frame inside this one, {@code params} bound on entry, and records its set in it. */
    private void analyse(Nodes.Body frame, Set<String> params) {
        analyse(frame, params, List.of());
    }

    /** {@code first}: expressions the frame evaluates before its body (a macro's defaults). */
    private void analyse(Nodes.Body frame, Set<String> params, List<Expr> first) {
        frame.unbound = analyse(frame.stmts, this, params, first);
    }

    private void macro(Nodes.MacroBody m) {
        Set<String> params = new HashSet<>(m.params());
        params.addAll(Set.of("varargs", "kwargs", "caller"));
        analyse(m.body(), params, m.defaults());
    }

    private static void collect(Target t, Set<String> into) {
        if (t.items() != null) {
            t.items().forEach(i -> collect(i, into));
        } else if (t.attribute() == null) {
            into.add(t.name());
        }
    }

    private void args(Nodes.Args a) {
        a.positional.forEach(this::expr);
        a.keywords.forEach(this::expr);
        expr(a.star);
        expr(a.starStar);
    }

    /** Loads the names {@code e} reads (null, an absent part, reads none). */
    private void expr(Expr e) {
        if (e == null || e instanceof Nodes.Const) {
            return;
        }
        if (e instanceof Nodes.Name n) {
            load(n.name());
        } else if (e instanceof Nodes.Display d) {
            d.items().forEach(this::expr);
            if (d.values() != null) {
                d.values().forEach(this::expr);
            }
        } else if (e instanceof Nodes.GetAttr g) {
            expr(g.obj());
        } else if (e instanceof Nodes.GetItem g) {
            expr(g.obj());
            expr(g.key());
        } else if (e instanceof Nodes.Slice sl) {
            expr(sl.start());
            expr(sl.stop());
            expr(sl.step());
        } else if (e instanceof Nodes.Call c) {
            expr(c.fn());
            args(c.args());
        } else if (e instanceof Nodes.Filter f) {
            expr(f.value());
            args(f.args());
        } else if (e instanceof Nodes.Test t) {
            expr(t.value());
            args(t.args());
        } else if (e instanceof Nodes.Binary b) {
            expr(b.left());
            expr(b.right());
        } else if (e instanceof Nodes.Unary u) {
            expr(u.operand());
        } else if (e instanceof Nodes.Compare c) {
            expr(c.first());
            c.rest().forEach(this::expr);
        } else if (e instanceof Nodes.CondExpr c) {
            expr(c.test());
            expr(c.then());
            expr(c.otherwise());
        } else {
            // Expr is sealed: a node added there without a case here would read no names, unseen.
            throw new IllegalStateException("FrameNames does not know " + e.getClass().getSimpleName());
        }
    }
}
