package org.slapgrid.node.exec;

import java.nio.file.Path;

/**
 * Who a partition's executables run as: its Unix user (null for the current user, in
 * single-user mode) with the partition as home and working directory.
 */
public record RunAs(String user, Path home) {

    public static RunAs currentUser(Path home) {
        return new RunAs(null, home);
    }

    /** True when running as this identity needs a switch from the current user. */
    public boolean switchesUser() {
        return user != null && !user.equals(System.getProperty("user.name"));
    }
}
