package org.slapgrid.slap.model;

import java.util.List;

/**
 * A node in the users' list: its owner, whether it is disabled (no new instances), whom its owner
 * or the admin shared it with ({@code "*"}: every user), its partitions, how many are free, and
 * its last contact (epoch ms, null if never).
 */
public record NodeSummary(String id, String owner, boolean disabled, List<String> sharedWith, int partitions,
                          int freePartitions, Long lastContact) {
}
