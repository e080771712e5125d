package org.slapgrid.slap.model;

import java.util.List;

/**
 * Everything a node must converge: its software releases and its partitions. {@code version}
 * changes whenever anything in here changes; the HTTP ETag is derived from it.
 */
public record NodeInfo(String id, long version, List<SoftwareSupply> software, List<PartitionInfo> partitions) {
}
