package org.slapgrid.slap.model;

/** A node in the users' list: its partitions, how many are free, and its last contact (epoch ms, null if never). */
public record NodeSummary(String id, int partitions, int freePartitions, Long lastContact) {
}
