package org.slapgrid.recipes.slap;

/** The master could not be reached, refused a call, or the local instance files are unusable. */
public class SlapException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SlapException(String message) {
        super(message);
    }

    public SlapException(String message, Throwable cause) {
        super(message, cause);
    }
}
