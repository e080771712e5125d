package org.slapgrid.master.jobs;

import org.slapgrid.slap.model.JobInfo;

/** Told after commit that a job ended (reported DONE or FAILED, or failed by the master past its deadline). */
@FunctionalInterface
public interface JobListener {
    void ended(JobInfo job);
}
