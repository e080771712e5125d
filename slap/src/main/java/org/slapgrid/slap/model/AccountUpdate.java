package org.slapgrid.slap.model;

/**
 * {@code PUT /api/v1/users/{name}} (admin): what to change; a null field is left as it is.
 * {@code partitionQuota} -1 goes back to the master's default.
 */
public record AccountUpdate(Boolean mayRegisterNodes, Long partitionQuota) {
}
