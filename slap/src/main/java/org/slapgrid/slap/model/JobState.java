package org.slapgrid.slap.model;

/**
 * Where a partition job is: {@code PENDING} (in its node's document), {@code RUNNING} (its node
 * said it started), then {@code DONE} or {@code FAILED} (final: its node reported the end, or the
 * master gave up waiting for it).
 */
public enum JobState {
    PENDING, RUNNING, DONE, FAILED;

    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }
}
