package org.slapgrid.node.instance;

/** What one run did to one partition. */
public record PartitionOutcome(String partition, Kind kind, String detail) {

    public enum Kind {
        /** buildout ran, services applied, promises kept, reported */
        CONVERGED,
        /** nothing changed and the periodicity had not elapsed: only promises ran */
        SKIPPED,
        /** the profile failed (or the release was missing): reported as error */
        FAILED,
        /** converged, but a promise is broken: reported as error */
        PROMISE_BROKEN,
        /** drained, uninstalled, wiped and reported destroyed */
        DESTROYED,
        /** not run: its software release is being built; it runs when that build ends */
        WAITING
    }

    @Override
    public String toString() {
        return partition + ": " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
