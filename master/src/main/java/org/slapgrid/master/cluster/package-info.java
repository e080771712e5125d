/**
 * Clusters (issue 13, docs/clusters.md): a managed group of instances across nodes. The model
 * and its store ({@link org.slapgrid.master.cluster.ClusterRows}), the operations and their
 * rules ({@link org.slapgrid.master.cluster.ClusterService}), where a new member goes
 * ({@link org.slapgrid.master.cluster.Placement}) and what each member's document says of its
 * peers ({@link org.slapgrid.master.cluster.ClusterMemberships}).
 */
package org.slapgrid.master.cluster;
