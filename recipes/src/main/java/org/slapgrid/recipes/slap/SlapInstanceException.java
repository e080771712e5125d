package org.slapgrid.recipes.slap;

/**
 * A recipe's {@link SlapInstance} failed: the master could not be reached or refused a call, or the
 * local instance files are unusable. Not the protocol's {@code org.slapgrid.slap.SlapException}
 * (an answer of the master, with its HTTP status and code): a recipe's instance may be file-backed
 * ({@link LocalSlapInstance}), and the node's implementation turns the protocol's into this.
 */
public class SlapInstanceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SlapInstanceException(String message) {
        super(message);
    }

    public SlapInstanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
