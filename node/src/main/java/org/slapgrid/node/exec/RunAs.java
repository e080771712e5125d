package org.slapgrid.node.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * Who a partition's executables run as: its Unix user (null for the current user, in
 * single-user mode) with the partition as home and working directory, and {@code enter}, the
 * command prefix that starts them inside the partition's cgroup (empty where limits are not
 * enforced; see {@code org.slapgrid.node.limits}).
 */
public record RunAs(String user, Path home, List<String> enter) {

    public RunAs {
        enter = enter == null ? List.of() : List.copyOf(enter);
    }

    public RunAs(String user, Path home) {
        this(user, home, List.of());
    }

    public static RunAs currentUser(Path home) {
        return new RunAs(null, home);
    }

    /** The same identity, started inside a cgroup through this prefix. */
    public RunAs entering(List<String> prefix) {
        return new RunAs(user, home, prefix);
    }

    /** True when running as this identity needs a switch from the current user. */
    public boolean switchesUser() {
        return user != null && !user.equals(System.getProperty("user.name"));
    }
}
