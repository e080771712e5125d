package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.service.NodeAccess;
import org.slapgrid.master.store.Sql;

/**
 * Where a new member goes: a node its owner may use with a free partition, spread per role. The
 * node with the fewest members of the role wins, then the fewest of the cluster, then the most
 * free partitions, then the name; two members of one role share a node only when no other node
 * has a free partition, and the placement says so. The release is supplied to the chosen node
 * (a user never supplies by hand for a cluster).
 */
final class Placement {
    private Placement() {
    }

    /** The chosen node and, when it already hosts members of the role, the note that says why. */
    record Choice(String node, String note) {
    }

    private record Candidate(String node, int free, int ofRole, int ofCluster) {
    }

    static Choice choose(Connection c, ClusterRows.Cluster cl, String role, String memberName) throws SQLException {
        List<Object> args = new ArrayList<>(NodeAccess.usableArgs(cl.owner()));
        Map<String, Integer> free = new HashMap<>();
        for (Object[] row : Sql.list(c, "SELECT p.node_id, COUNT(*) FROM node_partition p JOIN node n ON n.id = p.node_id"
                + " WHERE p.instance_id IS NULL AND " + NodeAccess.usable("n") + " GROUP BY p.node_id",
                rs -> new Object[] {rs.getString(1), rs.getInt(2)}, args.toArray())) {
            free.put((String) row[0], (Integer) row[1]);
        }
        if (free.isEmpty()) {
            throw ApiException.conflict("no_free_partition", "cannot place " + memberName + ": no node " + cl.owner()
                    + " may use has a free partition");
        }
        Map<String, List<String>> roleOn = new HashMap<>();
        Map<String, Integer> clusterOn = new HashMap<>();
        for (ClusterRows.Member m : ClusterRows.members(c, cl.id())) {
            if (m.leaving() || m.node() == null) {
                continue;
            }
            clusterOn.merge(m.node(), 1, Integer::sum);
            if (m.role().equals(role)) {
                roleOn.computeIfAbsent(m.node(), k -> new ArrayList<>()).add(m.shortName());
            }
        }
        Candidate best = free.entrySet().stream()
                .map(e -> new Candidate(e.getKey(), e.getValue(), roleOn.getOrDefault(e.getKey(), List.of()).size(),
                        clusterOn.getOrDefault(e.getKey(), 0)))
                .min(Comparator.comparingInt(Candidate::ofRole).thenComparingInt(Candidate::ofCluster)
                        .thenComparing(Comparator.comparingInt(Candidate::free).reversed()).thenComparing(Candidate::node))
                .orElseThrow();
        String note = best.ofRole() == 0 ? null : memberName + " shares node " + best.node() + " with "
                + String.join(", ", roleOn.get(best.node())) + " (role " + role + "): no other node has a free partition";
        return new Choice(best.node(), note);
    }

    /** Supplies the cluster's release to {@code node} (again, if a removal was asked), as its owner would. */
    static void supply(Connection c, ClusterRows.Cluster cl, String node, Changes changes) throws SQLException {
        String current = Sql.one(c, "SELECT requested_state FROM supply WHERE node_id = ? AND url = ?",
                rs -> rs.getString(1), node, cl.softwareUrl()).orElse(null);
        long now = System.currentTimeMillis();
        if (current == null) {
            Sql.update(c, "INSERT INTO supply (node_id, url, requested_state, updated_at) VALUES (?, ?, 'available', ?)",
                    node, cl.softwareUrl(), now);
            changes.touch(node);
        } else if (!"available".equals(current)) {
            Sql.update(c, "UPDATE supply SET requested_state = 'available', updated_at = ? WHERE node_id = ? AND url = ?",
                    now, node, cl.softwareUrl());
            changes.touch(node);
        }
    }
}
