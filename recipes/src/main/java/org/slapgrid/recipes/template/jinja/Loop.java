package org.slapgrid.recipes.template.jinja;

import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyTuple;
import org.slapgrid.recipes.template.jinja.Values.HasAttributes;
import org.slapgrid.recipes.template.jinja.Values.PyCallable;
import org.slapgrid.recipes.template.jinja.Values.Undefined;

/** The {@code loop} variable of a {@code {% for %}}; callable in a {@code recursive} loop. */
final class Loop implements HasAttributes, PyCallable {

    private final List<Object> items;
    private final int depth;
    private final Nodes.For recursive;
    private final Scope outer;
    private final Renderer renderer;
    int index;
    private Object lastChanged = Values.MISSING;

    Loop(List<Object> items, int depth, Nodes.For recursive, Scope outer, Renderer renderer) {
        this.items = items;
        this.depth = depth;
        this.recursive = recursive;
        this.outer = outer;
        this.renderer = renderer;
    }

    @Override
    public Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index" -> (long) index + 1;
            case "index0" -> (long) index;
            case "revindex" -> (long) (n - index);
            case "revindex0" -> (long) (n - index - 1);
            case "first" -> index == 0;
            case "last" -> index == n - 1;
            case "length" -> (long) n;
            case "depth" -> (long) depth + 1;
            case "depth0" -> (long) depth;
            case "previtem" -> index > 0 ? items.get(index - 1) : new Undefined("there is no previous item");
            case "nextitem" -> index < n - 1 ? items.get(index + 1) : new Undefined("there is no next item");
            case "cycle" -> (PyCallable) (args, kw) -> {
                if (args.isEmpty()) {
                    throw PyException.type("no items for cycling given");
                }
                return args.get(index % args.size());
            };
            case "changed" -> (PyCallable) (args, kw) -> {
                Object value = new PyTuple(args);
                if (lastChanged == Values.MISSING || !Py.eq(lastChanged, value)) {
                    lastChanged = value;
                    return true;
                }
                return false;
            };
            default -> Values.MISSING;
        };
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        if (recursive == null) {
            throw PyException.type("Tried to call non recursive loop.  Maybe you forgot the 'recursive' modifier.");
        }
        StringBuilder out = new StringBuilder();
        recursive.run(args.get(0), outer, renderer, out, depth + 1);
        return out.toString();
    }
}
