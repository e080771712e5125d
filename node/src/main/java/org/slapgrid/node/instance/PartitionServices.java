package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;


/** The services of partitions, under the process supervisor. */
public interface PartitionServices {

    /**
     * Makes the supervisor run what the partition's etc/service and etc/run hold, started or
     * stopped, each through {@code enter} (the partition's cgroup launcher; empty: none); those
     * {@code holds} selects (by their tags) are held stopped on purpose.
     */
    void apply(String partitionId, Path directory, String user, boolean started, List<String> enter,
               ServiceHolds holds) throws IOException;

    /**
     * Whether the programs held stopped on purpose differ from what {@code holds} ask for now
     * (a stop or start by tag, or a switch of a failover cluster's active member, arrived
     * without anything else to converge).
     */
    boolean holdsChanged(String partitionId, Path directory, ServiceHolds holds);

    /** Stops and forgets every program of the partition. */
    void remove(String partitionId) throws IOException;
}
