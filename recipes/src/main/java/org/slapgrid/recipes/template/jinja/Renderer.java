package org.slapgrid.recipes.template.jinja;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private int depth;

    Renderer(Jinja2 environment, Jinja2.Loader loader, String templateName) {
        this.environment = environment;
        this.loader = loader;
        this.templateName = templateName;
    }

    String templateName() {
        return templateName;
    }

    void execute(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt stmt : body) {
            try {
                stmt.exec(scope, this, out);
            } catch (PyException e) {
                throw new TemplateError(e.kind, templateName, stmt.line, e.getMessage() + " (in " + stmt.construct() + ")");
            } catch (ArithmeticException e) {
                throw new TemplateError("OverflowError", templateName, stmt.line, e.getMessage() + " (in " + stmt.construct() + ")");
            } catch (StackOverflowError e) {
                throw new TemplateError("RecursionError", templateName, stmt.line, "maximum recursion depth exceeded (in " + stmt.construct() + ")");
            }
        }
    }

    private Jinja2.Template load(String name) {
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
                Jinja2.Template t = load(s);
                depth++;
                try {
                    new Renderer(environment, loader, s).execute(t.body(), new Scope(scope), out);
                } finally {
                    depth--;
                }
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
        Scope scope = new Scope(context != null ? context : environment.globalsScope(), new HashMap<>());
        depth++;
        try {
            new Renderer(environment, loader, name).execute(t.body(), scope, new StringBuilder());
        } finally {
            depth--;
        }
        Map<String, Object> exported = new HashMap<>();
        scope.vars.forEach((k, v) -> {
            if (!k.startsWith("_")) {
                exported.put(k, v);
            }
        });
        return new Values.PyModule(name, exported);
    }
}
