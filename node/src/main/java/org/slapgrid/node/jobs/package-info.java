/**
 * Partition jobs on the node (docs/protocol.md, "Partition jobs"): one reconcile step
 * ({@link org.slapgrid.node.jobs.JobRunner}) runs the jobs the master put in a partition's
 * document through a registry of {@link org.slapgrid.node.jobs.JobKind}s, as the partition's
 * user with a timeout, and reports each once. To add a kind: write a {@code JobKind} and
 * register it in {@link org.slapgrid.node.jobs.JobKinds}; never a second mechanism.
 */
package org.slapgrid.node.jobs;
