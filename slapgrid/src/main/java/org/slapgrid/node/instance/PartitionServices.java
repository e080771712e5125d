package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The services of partitions, under the process supervisor. */
public interface PartitionServices {

    /**
     * Makes the supervisor run what the partition's etc/service and etc/run hold, started or
     * stopped, each through {@code enter} (the partition's cgroup launcher; empty: none).
     */
    void apply(String partitionId, Path directory, String user, boolean started, List<String> enter) throws IOException;

    /** Stops and forgets every program of the partition. */
    void remove(String partitionId) throws IOException;
}
