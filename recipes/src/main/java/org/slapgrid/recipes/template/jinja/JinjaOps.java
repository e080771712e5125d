package org.slapgrid.recipes.template.jinja;

import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyRange;
import org.slapgrid.buildout.python.PySlice;
import org.slapgrid.recipes.template.jinja.Values.BoundMethod;
import org.slapgrid.recipes.template.jinja.Values.HasAttributes;
import org.slapgrid.recipes.template.jinja.Values.Markup;
import org.slapgrid.recipes.template.jinja.Values.Undefined;

/**
 * What Jinja2 adds to Python's value semantics ({@link Py}, buildout's, the one owner of those):
 * {@code a.b} is getattr then item and {@code a['b']} item then getattr, a missing one being
 * undefined rather than an error; Markup concatenation and {@code %} escape the other operand;
 * the {@code 'dict object'} wording of undefined messages.
 */
final class JinjaOps {

    private JinjaOps() {
    }

    /** Jinja2's object_type_repr, used in undefined messages: {@code 'dict object'}, {@code None}. */
    static String objectTypeRepr(Object v) {
        if (v == null) {
            return "None";
        }
        String name = Py.typeName(v);
        return "'" + (v instanceof Macro ? "jinja2.runtime.Macro" : name) + " object'";
    }

    /** {@code a + b}: Markup + str escapes the str (markupsafe), the result is markup. */
    static Object add(Object a, Object b) {
        if ((a instanceof Markup || b instanceof Markup) && Py.isStr(Py.check(a)) && Py.isStr(Py.check(b))) {
            return new Markup(Filters.escape(a) + Filters.escape(b));
        }
        return Py.add(a, b);
    }

    /** {@code a % b}: str formatting (Markup escapes the arguments), else the number's modulo. */
    static Object mod(Object a, Object b) {
        Py.check(a);
        Py.check(b);
        if (a instanceof Markup m) {
            return new Markup(Format.percent(m.text(), b, true));
        }
        if (Py.isStr(a)) {
            return Format.percent(Py.str(a), b);
        }
        return Py.mod(a, b);
    }

    // ---- attribute and item lookup (Jinja2's Environment.getattr / getitem) ----

    static Object getattr(Object obj, String name) {
        Py.check(obj);
        if (obj instanceof HasAttributes h) {
            Object v = h.attribute(name);
            if (v != Values.MISSING) {
                return v;
            }
            return Undefined.attribute(obj, name);
        }
        if (Methods.has(obj, name)) {
            return new BoundMethod(obj, name);
        }
        if (obj instanceof Map<?, ?> m) {
            Object k = name;
            if (m.containsKey(k)) {
                return m.get(k);
            }
        }
        return Undefined.attribute(obj, name);
    }

    static Object getitem(Object obj, Object key) {
        Py.check(obj);
        Py.check(key);
        if (key instanceof PySlice s) {
            if (Py.isStr(obj) || obj instanceof List || obj instanceof PyRange) {
                return Py.slice(obj, s);
            }
            // Jinja2 compiles a slice to a plain Python subscript (not its getitem): Python's TypeError.
            throw PyException.type(obj instanceof Map ? "unhashable type: 'slice'" : "'" + Py.typeName(obj) + "' object is not subscriptable");
        }
        if (obj instanceof Map<?, ?> m) {
            Object k = Py.key(key);
            if (m.containsKey(k)) {
                return m.get(k);
            }
        } else if ((obj instanceof List<?> || Py.isStr(obj) || obj instanceof PyRange) && Py.isInt(key)) {
            long n = Py.len(obj);
            long i = Py.toLong(key);
            if (-n <= i && i < n) {
                return Py.index(obj, key);
            }
        } else if (obj instanceof HasAttributes && Py.isStr(key)) {
            return getattr(obj, Py.str(key));
        }
        if (Py.isStr(key)) {
            return getattr(obj, Py.str(key));
        }
        return Undefined.element(obj, key);
    }
}
