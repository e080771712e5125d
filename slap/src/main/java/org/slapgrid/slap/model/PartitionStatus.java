package org.slapgrid.slap.model;

import java.util.List;

/**
 * The status tree of a partition's instance as its node last reported it (what
 * {@code slapos node status} shows locally): its services, its promises and its last error.
 * The node sends it when it changes, at most every few seconds. {@code reportedAt} (epoch
 * milliseconds) is set by the master when it receives it.
 *
 * @param services  each supervised program of the partition
 * @param promises  each promise's last result
 * @param lastError the error of the last reconcile (null when it succeeded)
 */
public record PartitionStatus(List<Service> services, List<Promise> promises, String lastError, Long reportedAt) {

    public PartitionStatus {
        services = services == null ? List.of() : List.copyOf(services);
        promises = promises == null ? List.of() : List.copyOf(promises);
    }

    /** The same tree as received at {@code at}. */
    public PartitionStatus receivedAt(long at) {
        return new PartitionStatus(services, promises, lastError, at);
    }

    /**
     * One service: supervisord's state ({@code RUNNING}, {@code EXITED}...), its pid (null when
     * not running), when it started (epoch seconds, null when not running: its uptime is now
     * minus that) and how many times the node restarted it after a crash; its tags (the
     * profile's {@code tags} option) and whether it is stopped on purpose (a stop by tag asked at
     * the master: not down, and not counted as down by any aggregation). {@code runOnce}: a
     * script of {@code etc/run}, meant to end (its {@code exitStatus}, null while it has not
     * ended, says how): one that exited with 0 did its work, it is not a service that went down.
     * Reports of nodes from before these two fields read as a watched service. {@code hold}: why
     * it is stopped on purpose (null when it is not, or from a node that does not say).
     */
    public record Service(String name, String state, Integer pid, Long startedAt, int restarts, List<String> tags,
                          boolean stoppedOnPurpose, boolean runOnce, Integer exitStatus, Hold hold) {

        public Service {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        /** A service that does not say why it is held. */
        public Service(String name, String state, Integer pid, Long startedAt, int restarts, List<String> tags,
                       boolean stoppedOnPurpose, boolean runOnce, Integer exitStatus) {
            this(name, state, pid, startedAt, restarts, tags, stoppedOnPurpose, runOnce, exitStatus, null);
        }

        /** A watched service ({@code etc/service}). */
        public Service(String name, String state, Integer pid, Long startedAt, int restarts, List<String> tags,
                       boolean stoppedOnPurpose) {
            this(name, state, pid, startedAt, restarts, tags, stoppedOnPurpose, false, null);
        }

        /** An untagged watched service the node does not hold stopped. */
        public Service(String name, String state, Integer pid, Long startedAt, int restarts) {
            this(name, state, pid, startedAt, restarts, List.of(), false);
        }

        /** A run-once script that ended with status 0: its work is done. */
        public boolean completed() {
            return runOnce && "EXITED".equals(state) && exitStatus != null && exitStatus == 0;
        }
    }

    /**
     * Why a service is held stopped on purpose (docs/tags.md): {@code kind} {@value #TAG} a stop
     * by tag kept at the master ({@code slapos instance|cluster stop --tags}), {@value #NODE} one
     * kept by its node ({@code slapos node stop --tags}), {@code detail} then being the deciding
     * rule's tag expression; {@value #STANDBY} the partition is a standby member of a failover
     * cluster, {@code detail} the cluster's name.
     */
    public record Hold(String kind, String detail) {
        public static final String TAG = "tag";
        public static final String NODE = "node";
        public static final String STANDBY = "standby";
        public static final List<String> KINDS = List.of(TAG, NODE, STANDBY);

        /** What {@code slapos info} shows: "stopped by tag expression 'sm' at the master". */
        public String label() {
            String d = detail == null || detail.isEmpty() ? "" : " '" + detail + "'";
            return switch (kind == null ? "" : kind) {
                case TAG -> "stopped by tag expression" + d + " at the master";
                case NODE -> "stopped by tag expression" + d + " on the node";
                case STANDBY -> "failover standby" + (d.isEmpty() ? "" : " of cluster" + d);
                default -> "stopped on purpose";
            };
        }
    }

    /** One promise: kept or not, and the tail of its output. */
    public record Promise(String name, boolean kept, String output) {
    }
}
