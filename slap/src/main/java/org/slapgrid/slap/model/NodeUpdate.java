package org.slapgrid.slap.model;

/** {@code PATCH /api/v1/nodes/{node}} (admin or owner): {@code disabled} true stops new allocations on it. */
public record NodeUpdate(Boolean disabled) {
}
