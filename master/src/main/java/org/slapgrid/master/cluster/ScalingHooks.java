package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.service.Changes;

/**
 * The scaling hooks of seed 000 (SlipStream's OnVmAdd, OnVmRemove, Pre-Scale, Post-Scale) as
 * partition jobs of kind {@value #KIND}: the member's node runs {@code etc/scaling/<hook>} as
 * the partition's user with {@code SLIPSTREAM_SCALING_NODE} (the role),
 * {@code SLIPSTREAM_SCALING_VMS} (the members, {@code <role>.<n>}, space-separated),
 * {@code SLIPSTREAM_SCALING_ACTION} and the same as {@code SLAPGRID_SCALING_*}, and reports its
 * exit status, output and duration (a missing hook is a success that says so).
 * {@code on-add}/{@code on-remove} go to every other member and are not waited for; their
 * results go to the cluster's events. {@code pre-scale}/{@code post-scale} go to the members
 * subject to the action, which waits for them ({@link ScalingDriver}).
 */
final class ScalingHooks {
    static final String KIND = "scaling-hook";
    /** How long a hook may run on its node. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    static final String ON_ADD = "on-add";
    static final String ON_REMOVE = "on-remove";
    static final String PRE_SCALE = "pre-scale";
    static final String POST_SCALE = "post-scale";

    private ScalingHooks() {
    }

    /** A hook job on one member; returns its id. */
    static String run(Connection c, String instanceId, String hook, String role, List<String> members, String action,
                      Changes changes) throws SQLException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("hook", hook);
        args.put("role", role);
        args.put("members", List.copyOf(members));
        args.put("action", action == null ? "" : action);
        return JobService.create(c, instanceId, KIND, args, TIMEOUT, changes);
    }

    /**
     * Tells every member of the cluster that stays, but those in {@code changed}, that
     * {@code changed} (of {@code role}) were added ({@code on-add}) or removed ({@code on-remove}).
     * Members without a partition are left out (no node to run it). Returns how many were told.
     */
    static int tellOthers(Connection c, String clusterId, String hook, String role, List<String> changed, Changes changes)
            throws SQLException {
        int told = 0;
        for (ClusterRows.Member m : ClusterRows.members(c, clusterId)) {
            if (m.leaving() || m.partition() == null || changed.contains(m.shortName())) {
                continue;
            }
            run(c, m.instanceId(), hook, role, changed, null, changes);
            told++;
        }
        return told;
    }
}
