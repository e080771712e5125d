package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;

/** Where a new instance goes: a free partition (allocate) or, for a shared instance, a host instance. */
final class Allocation {
    private Allocation() {
    }

    /**
     * Claims a free partition on a node that {@code owner} may use, that has the release supplied and
     * passes the filter: {node, partition}. Nodes the owner may not use are never candidates, and
     * a filter naming one is answered as naming no node (their names are not the owner's business).
     * Returns {node, partition}.
     */
    static String[] allocate(Connection c, String instanceId, CheckedRequest r, String owner) throws SQLException {
        String wantNode = r.filter().get("node");
        String wantPartition = r.filter().get("partition");
        List<Object> usableArgs = new ArrayList<>(NodeAccess.usableArgs(owner));
        if (wantNode != null) {
            usableArgs.add(0, wantNode);
            if (Sql.one(c, "SELECT 1 FROM node n WHERE n.id = ? AND " + NodeAccess.usable("n"), rs -> true,
                    usableArgs.toArray()).isEmpty()) {
                throw new ApiException(400, "bad_filter", "filter.node: there is no node '" + wantNode + "' that "
                        + owner + " may use (enabled, owned by " + owner + " or shared with it)");
            }
        }
        List<Object> supplyArgs = new ArrayList<>(List.of(r.url()));
        supplyArgs.addAll(usableArgs);
        List<String> nodes = Sql.list(c, "SELECT s.node_id FROM supply s JOIN node n ON n.id = s.node_id"
                        + " WHERE s.url = ? AND s.requested_state = 'available'" + (wantNode == null ? "" : " AND n.id = ?")
                        + " AND " + NodeAccess.usable("n") + " ORDER BY s.node_id",
                rs -> rs.getString(1), supplyArgs.toArray());
        if (nodes.isEmpty()) {
            throw ApiException.notFound("unknown_release", "software release '" + r.url() + "' is not supplied to "
                    + (wantNode == null ? "any node " + owner + " may use" : "node '" + wantNode + "'") + "; supply it first");
        }
        List<Object> args = new ArrayList<>(nodes);
        String sql = "SELECT node_id, id FROM node_partition WHERE instance_id IS NULL AND node_id IN (" + Sql.marks(nodes.size()) + ")";
        if (wantPartition != null) {
            sql += " AND id = ?";
            args.add(wantPartition);
        }
        // A bounded candidate list keeps a request cheap on a big fleet; a few hundred candidates
        // are plenty to survive concurrent claims.
        sql += " ORDER BY node_id, id LIMIT 256";
        List<String[]> free = Sql.list(c, sql, rs -> new String[] {rs.getString(1), rs.getString(2)}, args.toArray());
        free.sort((a, b) -> a[0].equals(b[0]) ? NodeService.naturalOrder(a[1], b[1]) : a[0].compareTo(b[0]));
        for (String[] slot : free) {
            // Conditional claim: on PostgreSQL another master may take the same partition at once.
            if (Sql.update(c, "UPDATE node_partition SET instance_id = ? WHERE node_id = ? AND id = ? AND instance_id IS NULL",
                    instanceId, slot[0], slot[1]) == 1) {
                return slot;
            }
        }
        throw ApiException.conflict("no_free_partition", "no free partition for '" + r.url() + "' on "
                + (wantNode == null ? String.join(", ", nodes) : "node '" + wantNode + "'")
                + (wantPartition == null ? "" : " (partition '" + wantPartition + "')"));
    }

    /**
     * A shared instance lives in an allocated, non-shared instance of the same release and type,
     * on a node its owner may use (its parameters reach that node and no other).
     */
    static Instance findHost(Connection c, CheckedRequest r, String owner) throws SQLException {
        String wantNode = r.filter().get("node");
        Set<String> usable = Set.copyOf(NodeAccess.usableNodes(c, owner));
        List<Instance> hosts = InstanceRows.where(c, "WHERE i.shared = ? AND i.software_url = ? AND i.software_type = ?"
                        + " AND i.requested_state <> 'destroyed' AND i.partition_id IS NOT NULL ORDER BY i.created_at, i.id",
                false, r.url(), r.type());
        return hosts.stream().filter(h -> usable.contains(h.node()) && (wantNode == null || wantNode.equals(h.node())))
                .findFirst()
                .orElseThrow(() -> ApiException.conflict("no_host", "no instance of '" + r.url() + "' (type " + r.type()
                        + ") can host shared instance '" + r.name() + "'"));
    }
}
