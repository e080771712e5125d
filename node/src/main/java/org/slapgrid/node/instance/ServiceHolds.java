package org.slapgrid.node.instance;

import java.util.List;
import java.util.Set;

import org.slapgrid.slap.model.ClusterMembership;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.tags.TagRule;
import org.slapgrid.slap.tags.TagRules;

/**
 * Which services of a started partition the node holds stopped on purpose (desired state, never
 * "down"), and why (docs/tags.md): {@code master} the instance's stops by tag kept at the master;
 * {@code local} this node's own ({@code slapos node stop PARTITION --tags EXPR}, {@link LocalTagRules});
 * {@code standby} whether the partition is a standby member of a failover cluster, whose every
 * service is held except those tagged {@value #STANDBY_TAG} (OpenSVC's resource keyword
 * {@code standby = true}: up on the standby nodes too, a replica say). A service is held when
 * either list's rules stop it, or when it is a standby's.
 */
public record ServiceHolds(List<TagRule> master, List<TagRule> local, boolean standby, String cluster) {

    /** The tag of what runs on a failover cluster's standby members too. */
    public static final String STANDBY_TAG = "standby";

    public static final ServiceHolds NONE = new ServiceHolds(List.of(), List.of(), false, null);

    /** Holds of a partition in no cluster (or not told which). */
    public ServiceHolds(List<TagRule> master, List<TagRule> local, boolean standby) {
        this(master, local, standby, null);
    }

    public ServiceHolds {
        master = master == null ? List.of() : List.copyOf(master);
        local = local == null ? List.of() : List.copyOf(local);
    }

    /** The holds of {@code instance} on this node, its own stops by tag being {@code local}. */
    public static ServiceHolds of(Instance instance, List<TagRule> local) {
        return new ServiceHolds(instance.tagRules(), local, standby(instance.cluster()),
                instance.cluster() == null ? null : instance.cluster().cluster());
    }

    /** A member of a failover cluster that is not its primary (the active member). */
    static boolean standby(ClusterMembership c) {
        return c != null && c.topology() == ClusterTopology.FAILOVER && c.primary() != null
                && !c.primary().equals(c.role() + "." + c.index());
    }

    /** Whether a service (or promise) tagged {@code tags} is held stopped on purpose. */
    public boolean held(Set<String> tags) {
        if (standby && !tags.contains(STANDBY_TAG)) {
            return true;
        }
        return TagRules.stopped(master, tags) || TagRules.stopped(local, tags);
    }

    /**
     * The promises of the partition in {@code directory} held with their services (tagged like
     * them): not run, since they would only report what was asked for. The one test the
     * convergence and a restart job both use.
     */
    public java.util.function.Predicate<java.nio.file.Path> promisesHeld(java.nio.file.Path directory) {
        return promise -> !none() && held(org.slapgrid.node.supervisor.PartitionPrograms.readTags(directory, promise));
    }

    /** Nothing held: the common case, in which no tags file needs reading. */
    public boolean none() {
        return !standby && master.isEmpty() && local.isEmpty();
    }

    /**
     * Why a service tagged {@code tags} is held, as its status says it (the kind and the deciding
     * rule's expression or the cluster), null when it is not: in the order of {@link #reason}.
     */
    public PartitionStatus.Hold hold(Set<String> tags) {
        if (standby && !tags.contains(STANDBY_TAG)) {
            return new PartitionStatus.Hold(PartitionStatus.Hold.STANDBY, cluster);
        }
        TagRule r = TagRules.stoppedBy(master, tags);
        if (r != null) {
            return new PartitionStatus.Hold(PartitionStatus.Hold.TAG, r.tags());
        }
        r = TagRules.stoppedBy(local, tags);
        return r == null ? null : new PartitionStatus.Hold(PartitionStatus.Hold.NODE, r.tags());
    }

    /** Why a service tagged {@code tags} is held ("by tag", "by this node", "standby"), null when it is not. */
    public String reason(Set<String> tags) {
        if (standby && !tags.contains(STANDBY_TAG)) {
            return "standby";
        }
        if (TagRules.stopped(master, tags)) {
            return "by tag";
        }
        return TagRules.stopped(local, tags) ? "by this node" : null;
    }
}
