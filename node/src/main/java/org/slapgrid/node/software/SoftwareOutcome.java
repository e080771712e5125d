package org.slapgrid.node.software;

/** What one run did to one supplied release. */
public record SoftwareOutcome(String url, Kind kind, String detail) {

    public enum Kind { ALREADY_BUILT, BUILT, FAILED, REMOVED }

    @Override
    public String toString() {
        return url + ": " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
