package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceState;

/**
 * The rules of OpenSVC's topologies (seed 002; reference 3.2): a flex cluster's bounds
 * ({@code flex_min}: below it, members up, its status is degraded to warn; {@code flex_max}) and
 * primary ({@code flex_primary}, default the first member), a failover cluster's one active
 * member; and what "up" means for a member: reported started, its node heard from within the
 * cluster's {@code primary_lost_after}.
 */
final class Topologies {
    private static final Pattern MEMBER = Pattern.compile("([a-z0-9][a-z0-9_-]{0,31})\\.(\\d{1,3})");
    /** Bounds of the silence after which a primary's node is lost. */
    static final int MIN_LOST_AFTER_SECONDS = 2;
    static final int MAX_LOST_AFTER_SECONDS = 86_400;

    private Topologies() {
    }

    /** A new cluster's checked settings. */
    record Settings(int flexMin, int flexMax, String flexPrimary, long primaryLostAfterMs) {
    }

    /** Checks a create's flex settings against its roles: 400 for a malformed value, 422 naming the rule. */
    static Settings check(ClusterRequest req, ClusterTopology topology, List<ClusterRole> roles) {
        int count = roles.stream().mapToInt(ClusterRole::count).sum();
        boolean flex = topology == ClusterTopology.FLEX;
        if (!flex && (req.flexMin() != null || req.flexMax() != null || req.flexPrimary() != null)) {
            throw rule("flexMin, flexMax and flexPrimary are settings of a flex cluster, not of a " + topology.json() + " one (topology)");
        }
        int min = req.flexMin() == null ? 1 : req.flexMin();
        int max = req.flexMax() == null ? 0 : req.flexMax();
        if (min < 0 || max < 0 || (max > 0 && min > max)) {
            throw rule("wants 0 <= flexMin <= flexMax (0: no maximum); got flexMin=" + min + ", flexMax=" + max + " (flex_min)");
        }
        if (max > 0 && count > max) {
            throw rule("the roles ask for " + count + " members, over flexMax " + max + " (flex_max)");
        }
        String primary = req.flexPrimary();
        if (primary != null) {
            var m = MEMBER.matcher(primary);
            boolean known = m.matches() && roles.stream().anyMatch(r -> r.name().equals(m.group(1)) && Integer.parseInt(m.group(2)) < r.count());
            if (!known) {
                throw rule("flexPrimary '" + primary + "' is none of the members the roles create (role.index, e.g. "
                        + roles.get(0).name() + ".0) (flex_primary)");
            }
        }
        int lost = req.primaryLostAfterSeconds() == null ? (int) (ClusterRows.DEFAULT_PRIMARY_LOST_AFTER_MS / 1000)
                : req.primaryLostAfterSeconds();
        if (lost < MIN_LOST_AFTER_SECONDS || lost > MAX_LOST_AFTER_SECONDS) {
            throw ApiException.badRequest("primaryLostAfterSeconds must be " + MIN_LOST_AFTER_SECONDS + "-" + MAX_LOST_AFTER_SECONDS
                    + " (got " + lost + ")");
        }
        return new Settings(min, max, primary, lost * 1000L);
    }

    /** A grow to {@code total} members: refused (422) over a flex cluster's flex_max. */
    static void checkGrow(ClusterRows.Cluster cl, int total) {
        if (cl.topology() == ClusterTopology.FLEX && cl.flexMax() > 0 && total > cl.flexMax()) {
            throw rule("grow would give cluster '" + cl.name() + "' " + total + " members, over its flexMax of " + cl.flexMax() + " (flex_max)");
        }
    }

    /** Whether the node was heard from within {@code withinMs}. */
    static boolean heardFrom(Connection c, String node, long withinMs) throws SQLException {
        if (node == null) {
            return false;
        }
        Long last = Sql.one(c, "SELECT last_contact FROM node WHERE id = ?", rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }, node).orElse(null);
        return last != null && System.currentTimeMillis() - last <= withinMs;
    }

    /** A member is up: it reported started and its node was heard from within the cluster's lost-after. */
    static boolean up(Connection c, ClusterRows.Cluster cl, ClusterRows.Member m) throws SQLException {
        return !m.leaving() && InstanceState.STARTED.json().equals(m.reportedState()) && heardFrom(c, m.node(), cl.primaryLostAfterMs());
    }

    /**
     * The cluster's aggregated status, as OpenSVC's: {@code down} when no member is up; for flex,
     * {@code warn} below flex_min members up (else {@code up}, even with members down above it);
     * for failover, {@code up} when its primary is up, else {@code warn}.
     */
    static String status(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members) throws SQLException {
        int up = 0;
        boolean primaryUp = false;
        for (ClusterRows.Member m : members) {
            if (up(c, cl, m)) {
                up++;
                primaryUp |= m.shortName().equals(cl.primary());
            }
        }
        if (up == 0) {
            return "down";
        }
        if (cl.topology() == ClusterTopology.FLEX) {
            return up < cl.flexMin() ? "warn" : "up";
        }
        return primaryUp ? "up" : "warn";
    }

    private static ApiException rule(String message) {
        return new ApiException(422, "cluster_rule", message);
    }
}
