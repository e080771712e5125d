package org.slapgrid.slap;

/**
 * An error answer from the master ({@code status} is the HTTP status, {@code code} the stable
 * error code of docs/protocol.md), or a transport failure ({@code status} 0, code "io").
 */
public final class SlapException extends RuntimeException {
    private final int status;
    private final String code;

    public SlapException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public SlapException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.code = "io";
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return "SlapException[" + status + " " + code + ": " + getMessage() + "]";
    }
}
