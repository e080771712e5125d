package org.slapgrid.slap.model;

/**
 * A credential as the admin lists it, never the token itself: {@code id} (the first 16 hex
 * digits of its SHA-256, what {@code DELETE /api/v1/tokens/{id}} takes), its kind
 * ({@code user|node|instance}), whom it authenticates, whether it is an admin's, and when it was
 * created (epoch ms).
 */
public record TokenInfo(String id, String kind, String subject, boolean admin, long createdAt) {
}
