package org.slapgrid.node.software;

import java.io.IOException;
import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.UnixAccounts;

/**
 * Who builds each release. As root, every release has a Unix user of its own, named after the
 * release's directory ({@code slapsoft} and the first hex digits of the URL's md5, 32
 * characters in all), created for its first build and deleted with the release, so that no
 * release's build (nor a process it leaves) can change another release. Otherwise (single-user
 * mode) the current user builds everything.
 */
public final class BuildUsers {

    /** The prefix of the build users of a node that runs as root. */
    public static final String DEFAULT_PREFIX = "slapsoft";
    private static final int MAX_NAME = 32;

    private final String prefix;

    private BuildUsers(String prefix) {
        this.prefix = prefix;
    }

    /** One user per release, named {@code <prefix><md5 digits>}; {@code prefix} has 1 to 17 lower-case letters or digits (15 hex digits at least remain). */
    public static BuildUsers perRelease(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9]{0,16}")) {
            throw new IllegalArgumentException("build user prefix '" + prefix + "': expected 1 to 17 lower-case letters or digits");
        }
        return new BuildUsers(prefix);
    }

    public static BuildUsers currentUser() {
        return new BuildUsers(null);
    }

    /** True when each release builds as a user of its own (the node runs as root). */
    public boolean perRelease() {
        return prefix != null;
    }

    /** The prefix of the users (null in single-user mode). */
    public String prefix() {
        return prefix;
    }

    /** The user of the release in {@code place}, whether it exists or not. */
    public String nameOf(ReleasePlace place) {
        if (prefix == null) {
            return System.getProperty("user.name");
        }
        return prefix + place.url().directoryName().substring(0, MAX_NAME - prefix.length());
    }

    /** The release's builder, with the tree as home: created when missing. */
    public RunAs ensure(ReleasePlace place) throws IOException {
        if (prefix == null) {
            return RunAs.currentUser(place.tree());
        }
        return new RunAs(UnixAccounts.ensureNamedUser(nameOf(place), place.tree()), place.tree());
    }

    public boolean exists(ReleasePlace place) {
        return prefix != null && UnixAccounts.exists(nameOf(place));
    }

    /** Deletes the release's user (and its group), if any. Its processes must be gone. */
    public void delete(ReleasePlace place) throws IOException {
        if (exists(place)) {
            UnixAccounts.deleteUser(nameOf(place));
        }
    }
}
