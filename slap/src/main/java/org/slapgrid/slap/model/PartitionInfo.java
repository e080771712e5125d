package org.slapgrid.slap.model;

import java.util.List;

/**
 * One partition of a node: the instance it hosts ({@code instance} is null when free) and the
 * shared instances that instance hosts ({@code sharedInstances}, empty when none).
 */
public record PartitionInfo(String id, Instance instance, List<Instance> sharedInstances) {
}
