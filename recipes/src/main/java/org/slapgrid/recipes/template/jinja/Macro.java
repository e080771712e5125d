package org.slapgrid.recipes.template.jinja;

import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyList;
import org.slapgrid.buildout.python.PyObject;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Nodes.Expr;
import org.slapgrid.recipes.template.jinja.Values.HasAttributes;
import org.slapgrid.recipes.template.jinja.Values.PyCallable;

/** A {@code {% macro %}} (or the {@code caller} of a {@code {% call %}}): called, it renders its body in a new scope. */
final class Macro implements PyCallable, HasAttributes, PyObject {

    @Override
    public String typeName() {
        return "Macro";
    }


    final String name;
    final List<String> params;
    final List<Expr> defaults;
    final Nodes.Body body;
    /** Whether the body reads {@code varargs} / {@code kwargs}: only then extra arguments are accepted, as in Jinja2. */
    final boolean catchVarargs;
    final boolean catchKwargs;
    final Scope closure;
    final Renderer renderer;

    Macro(String name, Nodes.MacroBody macro, Scope closure, Renderer renderer) {
        this.name = name;
        this.params = macro.params();
        this.defaults = macro.defaults();
        this.body = macro.body();
        this.catchVarargs = macro.uses().contains("varargs");
        this.catchKwargs = macro.uses().contains("kwargs");
        this.closure = closure;
        this.renderer = renderer;
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        return invoke(args, kwargs, null);
    }

    Object invoke(List<Object> args, Map<String, Object> kwargs, Macro caller) {
        if (args.size() > params.size() && !catchVarargs) {
            throw PyException.type("macro '" + name + "' takes not more than " + params.size() + " argument(s)");
        }
        if (!catchKwargs) {
            for (String k : kwargs.keySet()) {
                if (!params.contains(k) && !k.equals("caller")) {
                    throw PyException.type("macro '" + name + "' takes no keyword argument '" + k + "'");
                }
            }
        }
        Scope scope = body.frame(closure);
        int firstDefault = params.size() - defaults.size();
        Map<String, Object> extraKw = new java.util.LinkedHashMap<>(kwargs);
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            Object value;
            if (i < args.size()) {
                value = args.get(i);
                if (extraKw.containsKey(p)) {
                    throw PyException.type("macro '" + name + "' got multiple values for argument '" + p + "'");
                }
            } else if (extraKw.containsKey(p)) {
                value = extraKw.remove(p);
            } else if (i >= firstDefault) {
                value = defaults.get(i - firstDefault).eval(scope, renderer);
            } else {
                value = new Values.Undefined("parameter '" + p + "' was not provided");
            }
            scope.set(p, value);
        }
        scope.set("varargs", new PyTuple(args.size() > params.size() ? args.subList(params.size(), args.size()) : List.of()));
        Map<Object, Object> kw = new java.util.LinkedHashMap<>(extraKw);
        extraKw.remove("caller");
        scope.set("kwargs", kw);
        if (caller != null) {
            scope.set("caller", caller);
        } else if (kwargs.containsKey("caller")) {
            scope.set("caller", kwargs.get("caller"));
            kw.remove("caller");
        }
        StringBuilder out = new StringBuilder();
        renderer.execute(body.stmts, scope, out);
        // Under autoescape a macro's output is markup: printing it does not escape it again.
        return renderer.autoescape ? new Values.Markup(out.toString()) : out.toString();
    }

    @Override
    public Object attribute(String attr) {
        return switch (attr) {
            case "name" -> name;
            case "arguments" -> new PyTuple(new PyList(params));
            default -> Values.MISSING;
        };
    }
}
