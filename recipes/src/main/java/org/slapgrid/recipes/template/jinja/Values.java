package org.slapgrid.recipes.template.jinja;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slapgrid.buildout.python.Py;
import org.slapgrid.buildout.python.PyException;
import org.slapgrid.buildout.python.PyObject;
import org.slapgrid.buildout.python.PyStr;

/** The Python value types Jinja2 templates need beyond those of {@link Py} (undefined, markup, modules, builtins...). */
final class Values {

    private Values() {
    }

    /** Something a template can call: a builtin, a method, a macro, a filter passed as value. */
    interface PyCallable {
        Object call(List<Object> args, Map<String, Object> kwargs);
    }

    /** An object with Python attributes (module, loop, namespace, cycler...). */
    interface HasAttributes {
        /** The attribute, or {@link #MISSING}. */
        Object attribute(String name);
    }

    static final Object MISSING = new Object();

    /** Text marked safe ({@code |safe}, {@code |e}): printed as it is, not escaped again. */
    record Markup(String text) implements PyStr {
        @Override
        public String toString() {
            return text;
        }

        @Override
        public String repr() {
            return "Markup(" + PyStr.super.repr() + ")";
        }
    }

    /**
     * StrictUndefined: a missing name, attribute or item. It may be passed around and tested
     * ({@code is defined}, {@code |default}); any other use raises UndefinedError with Jinja2's words.
     */
    static final class Undefined implements PyObject {
        final String hint;
        /** Jinja2's plain Undefined (an if-expression without else): prints empty, is false. */
        final boolean lenient;

        Undefined(String hint) {
            this(hint, false);
        }

        Undefined(String hint, boolean lenient) {
            this.hint = hint;
            this.lenient = lenient;
        }

        PyException fail() {
            return new PyException("UndefinedError", hint);
        }

        @Override
        public String typeName() {
            return "StrictUndefined";
        }

        @Override
        public boolean truthy() {
            if (lenient) {
                return false;
            }
            throw fail();
        }

        @Override
        public String str() {
            if (lenient) {
                return "";
            }
            throw fail();
        }

        @Override
        public String repr() {
            throw fail();
        }

        @Override
        public void check() {
            throw fail();
        }

        static Undefined name(String name) {
            return new Undefined("'" + name + "' is undefined");
        }

        static Undefined attribute(Object obj, String name) {
            return new Undefined(JinjaOps.objectTypeRepr(obj) + " has no attribute " + Py.repr(name));
        }

        static Undefined element(Object obj, Object key) {
            String type = JinjaOps.objectTypeRepr(obj);
            return new Undefined((type.startsWith("'") ? type.substring(1, type.length() - 1) : type) + " has no element " + Py.repr(key));
        }
    }

    /** A Python module given to the template ({@code import NAME json}). */
    record PyModule(String name, Map<String, Object> members) implements HasAttributes, PyObject {
        @Override
        public Object attribute(String attr) {
            Object v = members.get(attr);
            return v == null && !members.containsKey(attr) ? MISSING : v;
        }

        @Override
        public String typeName() {
            return "module";
        }

        @Override
        public String repr() {
            return "<module '" + name + "'>";
        }
    }

    /** A bound method of a str, list or dict ({@code s.split}). */
    record BoundMethod(Object self, String name) implements PyCallable, PyObject {
        @Override
        public String typeName() {
            return "builtin_function_or_method";
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            return Methods.call(self, name, args, kwargs);
        }
    }

    /** A Python type used as a function and in isinstance ({@code str}, {@code int}, {@code dict}...). */
    record PyType(String name, PyCallable constructor) implements PyCallable, HasAttributes, PyObject {
        @Override
        public String typeName() {
            return "type";
        }

        @Override
        public String repr() {
            return "<class '" + name + "'>";
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            return constructor.call(args, kwargs);
        }

        /** {@code dict.fromkeys(keys, value)}; other class attributes are not provided. */
        @Override
        public Object attribute(String attr) {
            if (name.equals("dict") && attr.equals("fromkeys")) {
                return (PyCallable) (args, kw) -> {
                    Map<Object, Object> d = new java.util.LinkedHashMap<>();
                    Object value = args.size() > 1 ? args.get(1) : null;
                    for (Object k : Py.iterate(args.get(0))) {
                        d.put(Py.key(k), value);
                    }
                    return d;
                };
            }
            return MISSING;
        }
    }

    /** A builtin function with its name (for repr). */
    record Builtin(String name, PyCallable body) implements PyCallable, PyObject {
        @Override
        public String typeName() {
            return "builtin_function_or_method";
        }

        @Override
        public String repr() {
            return "<built-in function " + name + ">";
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            return body.call(args, kwargs);
        }
    }

    /** Jinja2's {@code namespace()}: attributes settable with {@code {% set ns.x = ... %}}. */
    static final class Namespace implements HasAttributes {
        final Map<String, Object> attrs = new java.util.LinkedHashMap<>();

        @Override
        public Object attribute(String name) {
            return attrs.containsKey(name) ? attrs.get(name) : MISSING;
        }
    }

    /**
     * A Python iterator (what map(), filter(), zip(), enumerate(), reversed() and the map/select
     * filters return): read once, always true, no len(), printed as {@code <map object at 0x...>}.
     */
    static final class Generator implements Iterable<Object>, Iterator<Object>, PyObject {
        final String type;
        private final Iterator<Object> source;

        Generator(String type, Iterator<Object> source) {
            this.type = type;
            this.source = source;
        }

        static Generator of(String type, List<Object> items) {
            return new Generator(type, items.iterator());
        }

        @Override
        public Iterator<Object> iterator() {
            return this;
        }

        @Override
        public String typeName() {
            return type;
        }

        @Override
        public boolean hasNext() {
            return source.hasNext();
        }

        @Override
        public Object next() {
            return source.next();
        }

        @Override
        public String toString() {
            return "<" + type + " object at 0x" + Integer.toHexString(System.identityHashCode(this)) + ">";
        }
    }
}
