package org.slapgrid.master.store;

/** The database failed (not the caller's fault): the API answers 500 "store_error". */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
