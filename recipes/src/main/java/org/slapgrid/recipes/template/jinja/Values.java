package org.slapgrid.recipes.template.jinja;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The Python value types the interpreter needs beyond String, Long, Double, Boolean, null, List, Map and Set. */
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

    /** Python's list: an ArrayList (mutable, ordered). */
    static final class PyList extends ArrayList<Object> {
        PyList() {
        }

        PyList(Collection<?> items) {
            super(items);
        }
    }

    /** Python's tuple: immutable, hashable (a dict key). */
    static class PyTuple extends java.util.AbstractList<Object> {
        final Object[] items;

        PyTuple(Object... items) {
            this.items = items;
        }

        PyTuple(List<?> items) {
            this.items = items.toArray();
        }

        @Override
        public Object get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    /** Python's range: lazy, as big as asked (a loop stops early with break). */
    record PyRange(long start, long stop, long step) implements Iterable<Object> {
        long length() {
            if (step > 0) {
                return Math.max(0, (stop - start + step - 1) / step);
            }
            return Math.max(0, (start - stop - step - 1) / -step);
        }

        long at(long i) {
            return start + i * step;
        }

        @Override
        public Iterator<Object> iterator() {
            return new Iterator<>() {
                long i;

                @Override
                public boolean hasNext() {
                    return i < length();
                }

                @Override
                public Object next() {
                    return at(i++);
                }
            };
        }
    }

    /** {@code dict.keys()}, {@code .values()}, {@code .items()}: live views with Python's repr. */
    record DictView(String kind, Map<Object, Object> map) implements Iterable<Object> {
        @Override
        public Iterator<Object> iterator() {
            Iterator<Map.Entry<Object, Object>> entries = map.entrySet().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public Object next() {
                    Map.Entry<Object, Object> e = entries.next();
                    return switch (kind) {
                        case "keys" -> e.getKey();
                        case "values" -> e.getValue();
                        default -> new PyTuple(e.getKey(), e.getValue());
                    };
                }
            };
        }
    }

    /** A slice {@code a[start:stop:step]}; null bounds are Python's None. */
    record PySlice(Object start, Object stop, Object step) {
    }

    /** Text marked safe ({@code |safe}, {@code |e}): printed as it is, not escaped again. */
    record Markup(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * StrictUndefined: a missing name, attribute or item. It may be passed around and tested
     * ({@code is defined}, {@code |default}); any other use raises UndefinedError with Jinja2's words.
     */
    static final class Undefined {
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

        static Undefined name(String name) {
            return new Undefined("'" + name + "' is undefined");
        }

        static Undefined attribute(Object obj, String name) {
            return new Undefined(Py.objectTypeRepr(obj) + " has no attribute " + Py.repr(name));
        }

        static Undefined element(Object obj, Object key) {
            String type = Py.objectTypeRepr(obj);
            return new Undefined((type.startsWith("'") ? type.substring(1, type.length() - 1) : type) + " has no element " + Py.repr(key));
        }
    }

    /** A Python module given to the template ({@code import NAME json}). */
    record PyModule(String name, Map<String, Object> members) implements HasAttributes {
        @Override
        public Object attribute(String attr) {
            Object v = members.get(attr);
            return v == null && !members.containsKey(attr) ? MISSING : v;
        }
    }

    /** A bound method of a str, list or dict ({@code s.split}). */
    record BoundMethod(Object self, String name) implements PyCallable {
        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            return Methods.call(self, name, args, kwargs);
        }
    }

    /** A Python type used as a function and in isinstance ({@code str}, {@code int}, {@code dict}...). */
    record PyType(String name, PyCallable constructor) implements PyCallable, HasAttributes {
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
    record Builtin(String name, PyCallable body) implements PyCallable {
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
    static final class Generator implements Iterable<Object>, Iterator<Object> {
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
