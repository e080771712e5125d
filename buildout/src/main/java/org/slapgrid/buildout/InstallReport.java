package org.slapgrid.buildout;

import java.util.List;

/** What {@link Buildout#install()} did, one entry per part, in the order it happened. */
public record InstallReport(List<PartResult> parts) {

    public enum Outcome {
        /** A new part was installed. */
        INSTALLED,
        /** The part's options (or its recorded paths) changed: uninstalled, then installed. */
        REINSTALLED,
        /** The options were unchanged: the recipe's update ran. */
        UPDATED,
        /** The part left {@code parts}: uninstalled and its recorded paths removed. */
        UNINSTALLED
    }

    public record PartResult(String part, Outcome outcome) {
        @Override
        public String toString() {
            return part + ": " + outcome.name().toLowerCase();
        }
    }

    public InstallReport {
        parts = List.copyOf(parts);
    }

    /** The outcome of one part, if it appears in the report. */
    public java.util.Optional<Outcome> outcome(String part) {
        return parts.stream().filter(p -> p.part().equals(part)).map(PartResult::outcome).reduce((a, b) -> b);
    }
}
