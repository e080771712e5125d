package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterMembership;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.MemberResources;
import org.slapgrid.slap.model.RequestedState;

/**
 * What each member's instance document says of its cluster, and the re-convergence of the
 * members when it changes: a membership change (a member placed or dropped, a new primary) or a
 * member publishing connection parameters bumps the other members' timestamps and their nodes'
 * versions in the same transaction, the master's one change mechanism (so nodes wake and
 * re-converge them with the new peer list).
 */
public final class ClusterMemberships {
    private ClusterMemberships() {
    }

    /** The membership of every cluster member hosted on {@code nodeId}, by instance id. */
    public static Map<String, ClusterMembership> forNode(Connection c, String nodeId) throws SQLException {
        List<String[]> hosted = Sql.list(c, "SELECT m.cluster_id, m.instance_id FROM cluster_member m"
                + " JOIN instance i ON i.id = m.instance_id WHERE i.node_id = ?", rs -> new String[] {rs.getString(1), rs.getString(2)}, nodeId);
        Map<String, ClusterMembership> out = new HashMap<>();
        Map<String, ClusterRows.Cluster> clusters = new HashMap<>();
        Map<String, List<ClusterRows.Member>> members = new HashMap<>();
        for (String[] h : hosted) {
            ClusterRows.Cluster cl = clusters.get(h[0]);
            if (cl == null) {
                cl = ClusterRows.byId(c, h[0]).orElse(null);
                if (cl == null) {
                    continue;
                }
                clusters.put(h[0], cl);
                members.put(h[0], ClusterRows.members(c, h[0]));
            }
            for (ClusterRows.Member self : members.get(h[0])) {
                if (self.instanceId().equals(h[1])) {
                    MemberResources own = MemberStages.one(c, h[0], self.role(), self.index())
                            .map(MemberStages.Row::resources).orElse(MemberResources.NONE);
                    out.put(h[1], membership(cl, self, members.get(h[0]), own));
                }
            }
        }
        return out;
    }

    static ClusterMembership membership(ClusterRows.Cluster cl, ClusterRows.Member self, List<ClusterRows.Member> all,
                                        MemberResources own) {
        return new ClusterMembership(cl.name(), cl.topology(), self.role(), self.index(), cl.primary(), view(all),
                own.isNone() ? null : own);
    }

    /** The members that stay (those leaving are not peers any more), as the API and documents show them. */
    static List<ClusterMember> view(List<ClusterRows.Member> all) {
        List<ClusterMember> out = new ArrayList<>();
        for (ClusterRows.Member m : all) {
            if (!m.leaving()) {
                out.add(new ClusterMember(m.shortName(), m.role(), m.index(), m.node(), m.partition(), m.address(),
                        m.requestedState() == null ? null : RequestedState.parse(m.requestedState()),
                        m.reportedState() == null ? null : InstanceState.parse(m.reportedState()), m.connection()));
            }
        }
        return out;
    }

    /** A member published: its peers must learn it. Does nothing for an instance in no cluster. */
    public static void touchPeers(Connection c, String instanceId, Changes changes) throws SQLException {
        for (String clusterId : Sql.list(c, "SELECT cluster_id FROM cluster_member WHERE instance_id = ?",
                rs -> rs.getString(1), instanceId)) {
            touchMembers(c, clusterId, instanceId, changes);
        }
    }

    /** Bumps one member's instance (its own vertical state changed) and touches its node; returns its new timestamp. */
    static long touchOne(Connection c, String instanceId, Changes changes) throws SQLException {
        long now = System.currentTimeMillis() * 1000L;
        Sql.update(c, "UPDATE instance SET ts = CASE WHEN ts >= ? THEN ts + 1 ELSE ? END WHERE id = ?", now, now, instanceId);
        Sql.one(c, "SELECT node_id FROM instance WHERE id = ?", rs -> rs.getString(1), instanceId).ifPresent(changes::touch);
        return Sql.one(c, "SELECT ts FROM instance WHERE id = ?", rs -> rs.getLong(1), instanceId).orElse(0L);
    }

    /** Bumps every member of the cluster but {@code except} (null: all) and touches their nodes. */
    static void touchMembers(Connection c, String clusterId, String except, Changes changes) throws SQLException {
        long now = System.currentTimeMillis() * 1000L;
        for (String[] m : Sql.list(c, "SELECT i.id, i.node_id FROM cluster_member m JOIN instance i ON i.id = m.instance_id"
                + " WHERE m.cluster_id = ? AND m.leaving = ?", rs -> new String[] {rs.getString(1), rs.getString(2)}, clusterId, false)) {
            if (!m[0].equals(except)) {
                // Strictly increasing, as InstanceRows.nextTimestamp: now, or one more than before.
                Sql.update(c, "UPDATE instance SET ts = CASE WHEN ts >= ? THEN ts + 1 ELSE ? END WHERE id = ?", now, now, m[0]);
                changes.touch(m[1]);
            }
        }
    }
}
