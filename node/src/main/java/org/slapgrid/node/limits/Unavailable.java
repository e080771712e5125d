package org.slapgrid.node.limits;

import java.util.List;
import java.util.Optional;

/** No cgroups to write here: says why, enforces nothing, never fails. */
record Unavailable(String reason) implements CgroupController {

    @Override
    public Availability availability() {
        return new Availability(false, "", reason);
    }

    @Override
    public void apply(String partitionId, PartitionLimits limits) {
    }

    @Override
    public List<String> enterCommand(String partitionId) {
        return List.of();
    }

    @Override
    public Optional<Usage> usage(String partitionId) {
        return Optional.empty();
    }

    @Override
    public Optional<PartitionLimits> limits(String partitionId) {
        return Optional.empty();
    }

    @Override
    public void release(String partitionId) {
    }

    @Override
    public void releaseAll() {
    }
}
