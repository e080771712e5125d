package org.slapgrid.node.supervisor;

/** Anything that went wrong while generating, starting or driving supervisord. */
public class SupervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SupervisorException(String message) {
        super(message);
    }

    public SupervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
