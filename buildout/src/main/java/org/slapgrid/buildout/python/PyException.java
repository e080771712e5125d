package org.slapgrid.buildout.python;

/**
 * A Python-level error while evaluating (TypeError, IndexError, UndefinedError...): {@link #kind}
 * is the Python class name. Callers turn it into their own error naming where it happened (a
 * template line, a section header). No stack trace: it is a value, often caught.
 */
public final class PyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The Python exception class name, e.g. {@code TypeError}. */
    public final String kind;

    public PyException(String kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static PyException type(String message) {
        return new PyException("TypeError", message);
    }

    public static PyException value(String message) {
        return new PyException("ValueError", message);
    }
}
