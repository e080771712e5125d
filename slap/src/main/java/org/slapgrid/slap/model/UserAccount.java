package org.slapgrid.slap.model;

/**
 * What the admin allows a user: registering nodes, and at most {@code partitionQuota} partitions
 * (null: the master's default, {@code defaultPartitionQuota}); {@code partitionsUsed} is how many it holds.
 */
public record UserAccount(String name, boolean mayRegisterNodes, Long partitionQuota, long defaultPartitionQuota,
                          long partitionsUsed) {
}
