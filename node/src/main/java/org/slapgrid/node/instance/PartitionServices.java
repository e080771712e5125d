package org.slapgrid.node.instance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.slapgrid.slap.tags.TagRule;

/** The services of partitions, under the process supervisor. */
public interface PartitionServices {

    /**
     * Makes the supervisor run what the partition's etc/service and etc/run hold, started or
     * stopped, each through {@code enter} (the partition's cgroup launcher; empty: none); those
     * {@code tagRules} stop (by their tags) are held stopped on purpose.
     */
    void apply(String partitionId, Path directory, String user, boolean started, List<String> enter,
               List<TagRule> tagRules) throws IOException;

    /**
     * Whether the programs held stopped on purpose differ from what {@code tagRules} ask for now
     * (a stop or start by tag arrived without anything else to converge).
     */
    boolean holdsChanged(String partitionId, Path directory, List<TagRule> tagRules);

    /** Stops and forgets every program of the partition. */
    void remove(String partitionId) throws IOException;
}
