package org.slapgrid.master.service;

/**
 * A refusal with an HTTP status, a stable machine {@code code} (docs/protocol.md) and a message
 * that names the field or object at fault.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private ApiException(int status, String code, String message, long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds a refused caller should wait (the Retry-After of a 429), 0 if not said. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** 429 {@code rate_limited}: try again in {@code seconds}. */
    public static ApiException rateLimited(long seconds, String message) {
        return new ApiException(429, "rate_limited", message, seconds);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }
}
