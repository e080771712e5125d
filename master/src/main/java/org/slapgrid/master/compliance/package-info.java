/**
 * Compliance at the master (docs/compliance.md): users' rulesets and modulesets, their
 * attachment to nodes, instances and clusters, the plan each node fetches, and the results the
 * nodes report. The modules themselves come to nodes in releases, like any software.
 */
package org.slapgrid.master.compliance;
