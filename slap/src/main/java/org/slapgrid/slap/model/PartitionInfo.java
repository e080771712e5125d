package org.slapgrid.slap.model;

import java.util.List;

/**
 * One partition of a node: the instance it hosts ({@code instance} is null when free), the
 * shared instances that instance hosts ({@code sharedInstances}, empty when none) and the jobs
 * its node has to run in it ({@code jobs}, oldest first; empty when none).
 */
public record PartitionInfo(String id, Instance instance, List<Instance> sharedInstances, List<PartitionJob> jobs) {

    public PartitionInfo {
        sharedInstances = sharedInstances == null ? List.of() : sharedInstances;
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }

    public PartitionInfo(String id, Instance instance, List<Instance> sharedInstances) {
        this(id, instance, sharedInstances, List.of());
    }
}
