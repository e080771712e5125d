package org.slapgrid.slap.model;

/** The body of a token creation: whether the new token is an admin's. */
public record TokenRequest(boolean admin) {
}
