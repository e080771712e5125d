package org.slapgrid.slap.model;

/** A user's new API token, shown once ({@code POST /api/v1/users/{name}/tokens}, admin only). */
public record UserToken(String user, boolean admin, String token) {
    @Override
    public String toString() {
        return "UserToken[user=" + user + ", admin=" + admin + ", token=***]";
    }
}
