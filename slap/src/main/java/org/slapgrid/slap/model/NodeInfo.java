package org.slapgrid.slap.model;

import java.util.List;

/**
 * Everything a node must converge: its software releases and its partitions, and the node-level
 * jobs it has to run ({@code jobs}: not for a partition, e.g. a compliance run of its node-level
 * modules; oldest first, empty when none). {@code version} changes whenever anything in here
 * changes; the HTTP ETag is derived from it.
 */
public record NodeInfo(String id, long version, List<SoftwareSupply> software, List<PartitionInfo> partitions,
                       List<PartitionJob> jobs) {

    public NodeInfo {
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    public NodeInfo(String id, long version, List<SoftwareSupply> software, List<PartitionInfo> partitions) {
        this(id, version, software, partitions, List.of());
    }
}
