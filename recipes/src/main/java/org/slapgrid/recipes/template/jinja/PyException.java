package org.slapgrid.recipes.template.jinja;

/**
 * A Python-level error while evaluating (TypeError, KeyError, UndefinedError...); the renderer
 * turns it into a {@link TemplateError} naming the template, the line and the construct.
 */
final class PyException extends RuntimeException {

    final String kind;

    PyException(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    static PyException type(String message) {
        return new PyException("TypeError", message);
    }

    static PyException value(String message) {
        return new PyException("ValueError", message);
    }
}
