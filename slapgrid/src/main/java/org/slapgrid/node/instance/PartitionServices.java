package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Path;

/** The services of partitions, under the process supervisor. */
public interface PartitionServices {

    /** Makes the supervisor run what the partition's etc/service and etc/run hold, started or stopped. */
    void apply(String partitionId, Path directory, String user, boolean started) throws IOException;

    /** Stops and forgets every program of the partition. */
    void remove(String partitionId) throws IOException;
}
