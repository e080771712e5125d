package org.slapgrid.master.auth;

/**
 * Who is calling: a user (by name, possibly an admin), a node (by id) or an instance (by id).
 * {@code actor()} is how the audit and the requester column name it.
 */
public record Principal(Kind kind, String subject, boolean admin) {

    public enum Kind { USER, NODE, INSTANCE }

    public static Principal user(String name, boolean admin) {
        return new Principal(Kind.USER, name, admin);
    }

    public static Principal node(String id) {
        return new Principal(Kind.NODE, id, false);
    }

    public static Principal instance(String id) {
        return new Principal(Kind.INSTANCE, id, false);
    }

    public String actor() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + subject;
    }

    public boolean isUser() {
        return kind == Kind.USER;
    }
}
