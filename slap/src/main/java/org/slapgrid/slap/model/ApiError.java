package org.slapgrid.slap.model;

/** Every error answer of the master: a stable machine code and a message for humans. */
public record ApiError(String code, String message) {
}
