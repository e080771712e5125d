package org.slapgrid.slap.model;

/** The answer to a node registration: the node's secret, shown this once and stored hashed. */
public record NodeCredentials(String id, String secret) {
    @Override
    public String toString() {
        return "NodeCredentials[id=" + id + ", secret=***]";
    }
}
