package org.slapgrid.slap.model;

import java.util.Map;

/**
 * A one-shot action the master asks a partition's node to run (docs/protocol.md, "Partition
 * jobs"): its id, its {@code kind} (the name of a node-side {@code JobKind}: {@code backup},
 * {@code restore}, {@code restart}, ...) and its arguments. Carried in the node document by the
 * partition whose instance it is for, until the node reports its end.
 */
public record PartitionJob(String id, String kind, Map<String, Object> args) {

    public PartitionJob {
        args = args == null ? Map.of() : Map.copyOf(args);
    }
}
