package org.slapgrid.recipes.template.jinja;

import java.util.HashMap;
import java.util.Map;

/** Names visible to a template: a chain of frames (loop body, macro call, template) ending in the globals. */
final class Scope {

    /**
     * The value of a name its frame binds before assigning it ({@link FrameNames}): reading it
     * gives undefined, as in Jinja2, rather than a value further out with the same name.
     */
    static final Object UNBOUND = new Object() {
        @Override
        public String toString() {
            return "<unbound>";
        }
    };

    final Map<String, Object> vars;
    final Scope parent;
    /**
     * Set where a template renders with another one's names (include, import with context, a
     * block): Jinja2 hands over only the names that have a value, so an unbound name found
     * past this scope is looked up further out instead.
     */
    private boolean barrier;

    Scope(Scope parent) {
        this(parent, new HashMap<>());
    }

    Scope(Scope parent, Map<String, Object> vars) {
        this.parent = parent;
        this.vars = vars;
    }

    /** A new frame inside {@code parent} with {@code unbound} declared (see {@link #UNBOUND}). */
    static Scope frame(Scope parent, java.util.Set<String> unbound) {
        Scope s = new Scope(parent);
        s.declareUnbound(unbound);
        return s;
    }

    /** A scope through which another template sees this one's names (see {@link #barrier}). */
    static Scope handOver(Scope parent) {
        Scope s = new Scope(parent);
        s.barrier = true;
        return s;
    }

    void declareUnbound(java.util.Set<String> names) {
        for (String n : names) {
            vars.putIfAbsent(n, UNBOUND);
        }
    }

    Object lookup(String name) {
        boolean handedOver = false;
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.get(name);
            if (v == UNBOUND) {
                if (!handedOver) {
                    return Values.Undefined.name(name);
                }
            } else if (v != null || s.vars.containsKey(name)) {
                return v;
            }
            handedOver |= s.barrier;
        }
        return Values.Undefined.name(name);
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
