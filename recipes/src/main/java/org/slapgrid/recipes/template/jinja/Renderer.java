package org.slapgrid.recipes.template.jinja;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.recipes.template.jinja.Nodes.Stmt;
import org.slapgrid.recipes.template.jinja.Values.HasAttributes;

/**
 * One render: runs statements, turns Python-level errors into {@link TemplateError}s naming the
 * template, line and construct, and serves {@code include}/{@code import} through the loader.
 */
final class Renderer {

    private final Jinja2 environment;
    private final Jinja2.Loader loader;
    private final String templateName;
    /** How many includes/imports/extends lead here: a template including itself stops at 50. */
    private final int depth;
    /** For each block name, its definitions from the child template up to the base one. */
    private final Map<String, List<Nodes.Block>> blocks = new HashMap<>();
    private Jinja2.Template parent;
    /** Inside {@code {% autoescape true %}}: printed values are HTML-escaped. */
    boolean autoescape;

    Renderer(Jinja2 environment, Jinja2.Loader loader, String templateName) {
        this(environment, loader, templateName, 0);
    }

    private Renderer(Jinja2 environment, Jinja2.Loader loader, String templateName, int depth) {
        this.environment = environment;
        this.loader = loader;
        this.templateName = templateName;
        this.depth = depth;
    }

    /**
     * Renders a template with inheritance: its blocks, then, once {@code {% extends %}} has run,
     * its parent's body with the child's blocks in front (what the child prints after extends is
     * dropped, as in Jinja2).
     */
    void renderTemplate(Jinja2.Template t, Scope scope, StringBuilder out) {
        addBlocks(t);
        scope.set("self", new BlockReferences(scope));
        scope.declareUnbound(t.unbound());
        runTop(t, scope, out);
        while (parent != null) {
            Jinja2.Template p = parent;
            parent = null;
            addBlocks(p);
            runTop(p, scope, out);
        }
    }

    private void addBlocks(Jinja2.Template t) {
        t.blocks().forEach((name, block) -> blocks.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(block));
    }

    private void runTop(Jinja2.Template t, Scope scope, StringBuilder out) {
        StringBuilder sink = out;
        for (Stmt stmt : t.body()) {
            if (sink != out && (stmt instanceof Nodes.Data || stmt instanceof Nodes.Print || stmt instanceof Nodes.Block)) {
                continue;   // after extends, Jinja2 compiles no top-level output and no block call
            }
            execute(List.of(stmt), scope, sink);
            if (parent != null && sink == out) {
                sink = new StringBuilder();   // after extends: only blocks matter, rendered by the parent
            }
        }
    }

    void extend(Object name) {
        if (parent != null) {
            throw new PyException("TemplateRuntimeError", "extended multiple times");
        }
        parent = load(Py.str(name));
    }

    /** Renders definition {@code level} of block {@code name} (0 the most derived), super() giving the next. */
    String renderBlock(String name, int level, Scope scope) {
        List<Nodes.Block> chain = blocks.get(name);
        if (chain == null || level >= chain.size()) {
            throw new PyException("UndefinedError", level == 0 ? "no block named '" + name + "'"
                    : "there is no parent block called '" + name + "'.");
        }
        Scope inner = Scope.handOver(scope);   // a block renders with the context, not the template's locals
        inner.set("super", (Values.PyCallable) (args, kw) -> renderBlock(name, level + 1, scope));
        StringBuilder out = new StringBuilder();
        execute(chain.get(level).body(), inner, out);
        return out.toString();
    }

    /** {@code self}: {@code self.name()} renders block {@code name}. */
    private final class BlockReferences implements HasAttributes {
        private final Scope scope;

        BlockReferences(Scope scope) {
            this.scope = scope;
        }

        @Override
        public Object attribute(String name) {
            if (!blocks.containsKey(name)) {
                return Values.MISSING;
            }
            return (Values.PyCallable) (args, kw) -> renderBlock(name, 0, scope);
        }
    }

    void execute(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt stmt : body) {
            try {
                stmt.exec(scope, this, out);
            } catch (PyException e) {
                throw new TemplateError(e.kind, templateName, stmt.line(), e.getMessage() + " (in " + stmt.construct() + ")");
            } catch (ArithmeticException e) {
                throw new TemplateError("OverflowError", templateName, stmt.line(), e.getMessage() + " (in " + stmt.construct() + ")");
            } catch (ClassCastException | IndexOutOfBoundsException | NumberFormatException | NullPointerException
                     | UnsupportedOperationException | java.util.NoSuchElementException e) {
                // A value of a type the operation does not take: Python would raise, so do we (never a crash).
                String kind = e instanceof IndexOutOfBoundsException ? "IndexError"
                        : e instanceof NumberFormatException ? "ValueError"
                        : e instanceof java.util.NoSuchElementException ? "StopIteration" : "TypeError";
                throw new TemplateError(kind, templateName, stmt.line(), "unsupported value: " + e.getMessage()
                        + " (in " + stmt.construct() + ")");
            } catch (StackOverflowError e) {
                throw new TemplateError("RecursionError", templateName, stmt.line(), "maximum recursion depth exceeded (in " + stmt.construct() + ")");
            }
        }
    }

    Jinja2.Template load(String name) {
        if (depth > 50) {
            throw new PyException("RecursionError", "templates include each other too deeply: " + name);
        }
        String source = loader == null ? null : loader.load(name);
        if (source == null) {
            throw new PyException("TemplateNotFound", name);
        }
        return environment.parse(name, source);
    }

    void include(Object name, Scope scope, StringBuilder out, boolean ignoreMissing) {
        List<Object> names = name instanceof List<?> l ? Py.toList(l) : List.of(name);
        for (Object n : names) {
            String s = Py.str(n);
            if (loader != null && loader.load(s) != null) {
                new Renderer(environment, loader, s, depth + 1).renderTemplate(load(s), new Scope(Scope.handOver(scope)), out);
                return;
            }
        }
        if (!ignoreMissing) {
            throw new PyException("TemplateNotFound", names.size() == 1 ? Py.str(names.get(0)) : Py.repr(names));
        }
    }

    /** Runs the template in its own scope and exports its top-level names (not those starting with _). */
    HasAttributes importTemplate(String name, Scope context) {
        Jinja2.Template t = load(name);
        Scope scope = new Scope(context != null ? Scope.handOver(context) : environment.globalsScope(), new HashMap<>());
        new Renderer(environment, loader, name, depth + 1).renderTemplate(t, scope, new StringBuilder());
        Map<String, Object> exported = new HashMap<>();
        scope.vars.forEach((k, v) -> {
            if (!k.startsWith("_") && !k.equals("self") && v != Scope.UNBOUND) {
                exported.put(k, v);
            }
        });
        return new Values.PyModule(name, exported);
    }
}
