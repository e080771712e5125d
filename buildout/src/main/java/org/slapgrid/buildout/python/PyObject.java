package org.slapgrid.buildout.python;

/**
 * A value of a Python type that {@link Py} does not know itself (a Jinja2 undefined or markup
 * string, a module, a builtin, a PEP 508 marker string): it answers its own type name, truth,
 * repr and str, so that containers holding it print and test as Python would.
 */
public interface PyObject {

    /** {@code type(x).__name__}. */
    String typeName();

    /** {@code bool(x)}: true unless the type says otherwise. */
    default boolean truthy() {
        return true;
    }

    /** {@code repr(x)}. */
    default String repr() {
        return toString();
    }

    /** {@code str(x)}: the repr unless the type says otherwise. */
    default String str() {
        return repr();
    }

    /** Called before an operation uses the value: a value that may not be used (undefined) fails here. */
    default void check() {
    }
}
