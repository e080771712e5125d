/**
 * Partition jobs (docs/protocol.md, "Partition jobs"): one-shot actions the master asks a
 * partition's node to run (a backup, a restore, a restart...), carried in the node's document
 * and reported once. {@link org.slapgrid.master.jobs.JobService} owns the table and the files a
 * job sends or fetches; operations that wait for jobs are told of their end through a
 * {@link org.slapgrid.master.jobs.JobListener} (no thread waits for a job).
 */
package org.slapgrid.master.jobs;
