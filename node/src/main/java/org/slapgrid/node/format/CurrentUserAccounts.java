package org.slapgrid.node.format;

import java.nio.file.Path;

/** Single-user mode (not root): every partition belongs to, and runs as, the current user. */
public final class CurrentUserAccounts implements PartitionAccounts {

    @Override
    public String ensureUser(int partitionIndex, Path home) {
        return System.getProperty("user.name");
    }

    @Override
    public void giveTo(Path path, String user) {
        // already ours
    }
}
