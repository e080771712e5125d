package org.slapgrid.buildout.python;

/** A value that is a Python str with extra behaviour (Jinja2's Markup, a PEP 508 marker string). */
public interface PyStr extends PyObject {

    /** The characters. */
    String text();

    @Override
    default String typeName() {
        return "str";
    }

    @Override
    default boolean truthy() {
        return !text().isEmpty();
    }

    @Override
    default String repr() {
        StringBuilder out = new StringBuilder();
        Py.stringRepr(text(), out);
        return out.toString();
    }

    @Override
    default String str() {
        return text();
    }
}
