package org.slapgrid.slap.model;

/**
 * The operation a cluster is undergoing, persisted by the master: any task but {@code NONE} makes
 * the cluster busy (another operation is refused with 409), and a master that starts with a task
 * left set resumes or ends it.
 */
public enum ClusterTask {
    NONE, BUILDING, GROWING, SHRINKING, RESTARTING, BACKING_UP, RESTORING, PROMOTING, DELETING,
    /** Vertical actions on one member (pre-scale, act, re-converge, post-scale). */
    RESIZING, ATTACHING_DISK, DETACHING_DISK
}
