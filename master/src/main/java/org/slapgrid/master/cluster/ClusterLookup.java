package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.slap.model.ClusterTask;

/**
 * What the metrics and the autoscaler read of a cluster, through the cluster tables' one owner
 * ({@link ClusterRows}): the cluster as its caller may see it (another user's answered 404, as
 * every cluster call), its roles' bounds and its members that stay, with their instances.
 */
public final class ClusterLookup {
    private ClusterLookup() {
    }

    public record Ref(String id, String owner, String name, ClusterTask task, String primary) {
    }

    public record RoleBounds(String name, int min, int max) {
    }

    /** A member that stays (not leaving) and its instance: id (null once destroyed and freed) and name. */
    public record MemberRef(String member, String role, int index, String instanceId, String instanceName) {
    }

    /** The caller's cluster (an admin's: any, if the name is unambiguous); 404 otherwise. */
    public static Ref find(Connection c, Principal caller, String name) throws SQLException {
        return ref(ClusterService.find(c, caller, name));
    }

    /** The cluster by id, whoever owns it (the master's own evaluator); null when it was destroyed. */
    public static Ref byId(Connection c, String id) throws SQLException {
        return ClusterRows.byId(c, id).map(ClusterLookup::ref).orElse(null);
    }

    public static List<RoleBounds> roles(Connection c, String clusterId) throws SQLException {
        List<RoleBounds> out = new ArrayList<>();
        for (ClusterRows.Role r : ClusterRows.roles(c, clusterId)) {
            out.add(new RoleBounds(r.name(), r.min(), r.max()));
        }
        return out;
    }

    public static List<MemberRef> members(Connection c, String clusterId) throws SQLException {
        List<MemberRef> out = new ArrayList<>();
        for (ClusterRows.Member m : ClusterRows.members(c, clusterId)) {
            if (!m.leaving()) {
                out.add(new MemberRef(m.shortName(), m.role(), m.index(), m.instanceName() == null ? null : m.instanceId(),
                        m.instanceName()));
            }
        }
        return out;
    }

    private static Ref ref(ClusterRows.Cluster cl) {
        return new Ref(cl.id(), cl.owner(), cl.name(), cl.task(), cl.primary());
    }
}
