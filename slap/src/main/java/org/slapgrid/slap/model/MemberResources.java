package org.slapgrid.slap.model;

import java.util.List;

/**
 * A cluster member's vertical state as the master keeps it (docs/clusters.md, "Resize and
 * disks"): its memory and CPU limits ({@code null}: the node's defaults) and its data disks.
 * The member's node applies it at each convergence: limits through the partition's cgroup,
 * each disk at {@code srv/disk/<name>} of the partition.
 *
 * @param memoryBytes memory of the partition's processes together, in bytes
 * @param cpus        CPU time, in CPUs (0.5 = half a core per period)
 * @param disks       the data disks, by name
 */
public record MemberResources(Long memoryBytes, Double cpus, List<Disk> disks) {

    public MemberResources {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /** No resize and no disk: what a member has until an operation gives it one. */
    public static final MemberResources NONE = new MemberResources(null, null, List.of());

    public boolean isNone() {
        return memoryBytes == null && cpus == null && disks.isEmpty();
    }

    /** One data disk: {@code name} (1-32 of [a-z0-9_-]) of {@code sizeBytes}. */
    public record Disk(String name, long sizeBytes) {
    }
}
