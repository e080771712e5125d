package org.slapgrid.node.scaling;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slapgrid.node.exec.RunAs;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.limits.PartitionLimiter;
import org.slapgrid.node.limits.PartitionLimits;
import org.slapgrid.node.promise.PromiseResult;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.MemberResources;

/**
 * The reconciler's step that applies a cluster member's vertical state as the master keeps it
 * ({@link MemberResources}, in its instance document): memory and CPU limits on the
 * partition's cgroup (the node's defaults for what is not set), its data disks present and no
 * others ({@link DataDisks}). Runs at every reconcile of a member, before its buildout, so a
 * resize applies at once to the running services and a disk is there for the profile; what it
 * did shows in the partition's status as {@code node/disk/<name>} entries.
 */
public final class MemberResourcesStep {

    /** The prefix of this step's entries among a partition's promise results (no file can be named so). */
    public static final String DISK_ENTRY = "node/disk/";

    private final PartitionLimiter limits;
    private final DataDisks disks;
    private final Clock clock;
    private final Consumer<String> log;
    private final Map<String, List<PromiseResult>> entries = new ConcurrentHashMap<>();

    public MemberResourcesStep(PartitionLimiter limits, DataDisks disks, Clock clock, Consumer<String> log) {
        this.limits = limits;
        this.disks = disks;
        this.clock = clock;
        this.log = log;
    }

    /** Applies {@code instance}'s resources to its partition (none: the defaults, no disk). */
    public void apply(Instance instance, Partition partition, Function<Partition, RunAs> who) throws IOException {
        MemberResources wanted = instance.cluster() == null || instance.cluster().resources() == null
                ? MemberResources.NONE : instance.cluster().resources();
        String id = partition.id();
        PartitionLimits defaults = limits.config().partition();
        PartitionLimits target = defaults;
        if (wanted.memoryBytes() != null && wanted.memoryBytes() > 0) {
            target = target.withMemory(wanted.memoryBytes());
        }
        if (wanted.cpus() != null && wanted.cpus() > 0) {
            target = target.withCpus(wanted.cpus());
        }
        if (!target.equals(limits.limitsOf(id))) {
            if (target.equals(defaults)) {
                limits.resetToDefaults(id);
            } else {
                limits.resize(id, target);
            }
            log.accept(id + ": limits now " + target.describe());
        }
        Set<String> names = wanted.disks().stream().map(MemberResources.Disk::name).collect(Collectors.toSet());
        for (String name : disks.attached(id)) {
            if (!names.contains(name)) {
                disks.detach(partition, name, who);
                log.accept(id + ": disk " + name + " detached");
            }
        }
        List<PromiseResult> shown = new ArrayList<>();
        for (MemberResources.Disk d : wanted.disks()) {
            DataDisks.Attached a = disks.attach(partition, d.name(), d.sizeBytes(), who);
            shown.add(new PromiseResult(DISK_ENTRY + d.name(), true, 0, false, a.describe(), clock.instant(), Duration.ZERO));
        }
        if (shown.isEmpty()) {
            entries.remove(id);
        } else {
            entries.put(id, List.copyOf(shown));
        }
    }

    /** Before the partition is wiped: its disk images unmounted. */
    public void release(Partition partition) throws IOException {
        disks.releaseAll(partition);
        entries.remove(partition.id());
    }

    /** What the last {@link #apply} made of the partition's disks, as status entries. */
    public List<PromiseResult> entries(String partitionId) {
        return entries.getOrDefault(partitionId, List.of());
    }
}
