package org.slapgrid.recipes.template.jinja;

import java.util.HashMap;
import java.util.Map;

/** Names visible to a template: a chain of frames (loop body, macro call, template) ending in the globals. */
final class Scope {

    final Map<String, Object> vars;
    final Scope parent;

    Scope(Scope parent) {
        this(parent, new HashMap<>());
    }

    Scope(Scope parent, Map<String, Object> vars) {
        this.parent = parent;
        this.vars = vars;
    }

    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Object v = s.vars.get(name);
            if (v != null || s.vars.containsKey(name)) {
                return v;
            }
        }
        return Values.Undefined.name(name);
    }

    void set(String name, Object value) {
        vars.put(name, value);
    }
}
