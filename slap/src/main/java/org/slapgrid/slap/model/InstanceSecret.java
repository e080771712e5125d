package org.slapgrid.slap.model;

/**
 * A fresh secret for the instance of a partition, issued to its node, which writes it into the
 * partition for the instance's own calls. Issuing a new one revokes the previous one.
 */
public record InstanceSecret(String instance, String secret) {
    @Override
    public String toString() {
        return "InstanceSecret[instance=" + instance + ", secret=***]";
    }
}
