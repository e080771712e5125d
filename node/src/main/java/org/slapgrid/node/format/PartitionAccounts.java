package org.slapgrid.node.format;

import java.io.IOException;
import java.nio.file.Path;

/** Who owns and runs each partition. */
public interface PartitionAccounts {

    /** Makes sure the partition's user (and its own group) exists; returns the user name. */
    String ensureUser(int partitionIndex, Path home) throws IOException;

    /** Gives {@code path} to that user and its group. */
    void giveTo(Path path, String user) throws IOException;
}
