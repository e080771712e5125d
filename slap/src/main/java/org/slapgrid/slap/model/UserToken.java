package org.slapgrid.slap.model;

/**
 * A user's new API token, shown once ({@code POST /api/v1/users/{name}/tokens}, admin only), with
 * the {@code id} that lists and revokes it.
 */
public record UserToken(String id, String user, boolean admin, String token) {
    @Override
    public String toString() {
        return "UserToken[id=" + id + ", user=" + user + ", admin=" + admin + ", token=***]";
    }
}
