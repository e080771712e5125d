package org.slapgrid.master.cluster;

import java.nio.file.Path;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.store.Database;

/**
 * The cluster operations that wait for partition jobs (backup, restore, rolling restart): each
 * keeps what it waits for in {@code cluster_operation} and moves on when a job ends or at the
 * tick, so a restarted master picks it up where it was.
 */
final class ClusterOperations {
    private final Database db;
    private final ChangeListener listener;
    private final JobService jobs;
    private final ClusterEvents events;
    private final Path backups;

    ClusterOperations(Database db, ChangeListener listener, JobService jobs, ClusterEvents events, Path backups) {
        this.db = db;
        this.listener = listener;
        this.jobs = jobs;
        this.events = events;
        this.backups = backups;
    }

    /** Moves every waiting operation on as far as its jobs allow. */
    synchronized void advanceAll() {
    }
}
