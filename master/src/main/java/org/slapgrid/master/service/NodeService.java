package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.NodeCredentials;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.NodeRegistration;
import org.slapgrid.slap.model.NodeSummary;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.SoftwareReport;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyRequest;
import org.slapgrid.slap.model.SupplyState;

/** Nodes: registration, format reports, supplies, software reports and the node information. */
public final class NodeService {
    /** How often a node's last contact is written (a write per poll would cost more than the poll). */
    private static final long CONTACT_WRITE_INTERVAL_MS = 30_000;

    private final Database db;
    private final ChangeListener listener;
    private final Map<String, Long> contactWritten = new ConcurrentHashMap<>();
    /** Node information by node, valid for the version it was built at (any change bumps it). */
    private final Map<String, NodeInfo> infoCache = new ConcurrentHashMap<>();

    public NodeService(Database db, ChangeListener listener) {
        this.db = db;
        this.listener = listener;
    }

    public NodeCredentials register(Principal who, NodeRegistration reg) {
        requireUser(who);
        Validate.present("body", reg);
        String id = Validate.id("id", reg.id());
        List<String> partitions = reg.partitions() == null ? List.of() : reg.partitions();
        partitions.forEach(p -> Validate.id("partitions[]", p));
        String secret = Secrets.newToken("sgn_");
        db.transaction(c -> {
            if (Sql.one(c, "SELECT 1 FROM node WHERE id = ?", rs -> true, id).isPresent()) {
                throw ApiException.conflict("node_exists", "node '" + id + "' is already registered");
            }
            long now = System.currentTimeMillis();
            Sql.update(c, "INSERT INTO node (id, owner, version, created_at) VALUES (?, ?, 1, ?)", id, who.subject(), now);
            for (String p : new LinkedHashSet<>(partitions)) {
                Sql.update(c, "INSERT INTO node_partition (node_id, id) VALUES (?, ?)", id, p);
            }
            CredentialStore.insert(c, secret, Principal.node(id));
            AuditLog.record(c, who, "node.register", "node:" + id, partitions.size() + " partitions");
            return null;
        });
        return new NodeCredentials(id, secret);
    }

    /** The node's current version (its ETag), or empty when there is no such node. Records the contact. */
    public OptionalLong version(String nodeId) {
        OptionalLong v = db.read(c -> Sql.one(c, "SELECT version FROM node WHERE id = ?", rs -> rs.getLong(1), nodeId))
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        if (v.isPresent()) {
            recordContact(nodeId);
        }
        return v;
    }

    private void recordContact(String nodeId) {
        long now = System.currentTimeMillis();
        Long last = contactWritten.get(nodeId);
        if (last == null || now - last > CONTACT_WRITE_INTERVAL_MS) {
            contactWritten.put(nodeId, now);
            db.read(c -> Sql.update(c, "UPDATE node SET last_contact = ? WHERE id = ?", now, nodeId));
        }
    }

    /** Everything node {@code nodeId} must converge. */
    public NodeInfo info(Principal who, String nodeId) {
        requireNode(who, nodeId);
        long version = version(nodeId).orElseThrow(() -> ApiException.notFound("unknown_node", "no node '" + nodeId + "'"));
        NodeInfo cached = infoCache.get(nodeId);
        if (cached != null && cached.version() == version) {
            return cached;
        }
        // Read the version first, then the data: the data is at least as new as the version, so
        // caching it under that version can only make a later poll fetch again, never miss a change.
        NodeInfo info = db.read(c -> build(c, nodeId, version));
        infoCache.put(nodeId, info);
        return info;
    }

    private static NodeInfo build(Connection c, String nodeId, long version) throws SQLException {
        List<SoftwareSupply> software = Sql.list(c,
                "SELECT url, requested_state, reported_state, error_log FROM supply WHERE node_id = ? ORDER BY url",
                rs -> new SoftwareSupply(rs.getString(1), SupplyState.parse(rs.getString(2)),
                        rs.getString(3) == null ? null : SoftwareState.parse(rs.getString(3)), rs.getString(4)),
                nodeId);
        Map<String, Instance> byPartition = new HashMap<>();
        for (Instance i : InstanceRows.where(c, "WHERE i.node_id = ? AND i.partition_id IS NOT NULL", nodeId)) {
            byPartition.put(i.partition(), i);
        }
        Map<String, List<Instance>> sharedByHost = new HashMap<>();
        for (Instance s : InstanceRows.where(c, "WHERE i.shared = ? AND i.node_id = ? AND i.host_id IS NOT NULL ORDER BY i.name",
                true, nodeId)) {
            sharedByHost.computeIfAbsent(s.host(), k -> new ArrayList<>()).add(s);
        }
        List<PartitionInfo> partitions = new ArrayList<>();
        for (String[] p : Sql.list(c, "SELECT id, instance_id FROM node_partition WHERE node_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, nodeId)) {
            Instance i = byPartition.get(p[0]);
            partitions.add(new PartitionInfo(p[0], i, i == null ? List.of() : sharedByHost.getOrDefault(i.id(), List.of())));
        }
        partitions.sort(java.util.Comparator.comparing(PartitionInfo::id, NodeService::naturalOrder));
        return new NodeInfo(nodeId, version, software, partitions);
    }

    /** slappart2 before slappart10. */
    static int naturalOrder(String a, String b) {
        String pa = a.replaceAll("\\d+$", "");
        String pb = b.replaceAll("\\d+$", "");
        if (pa.equals(pb) && a.length() > pa.length() && b.length() > pb.length() && a.length() - pa.length() < 10
                && b.length() - pb.length() < 10) {
            return Long.compare(Long.parseLong(a.substring(pa.length())), Long.parseLong(b.substring(pb.length())));
        }
        return a.compareTo(b);
    }

    /** Adds the node's new partitions; drops free partitions it no longer has; keeps busy ones. */
    public void reportFormat(Principal who, String nodeId, List<String> partitions) {
        requireNode(who, nodeId);
        Validate.present("partitions", partitions).forEach(p -> Validate.id("partitions[]", p));
        Set<String> wanted = new LinkedHashSet<>(partitions);
        write(who, c -> {
            Changes changes = new Changes();
            Set<String> existing = new LinkedHashSet<>(Sql.list(c, "SELECT id FROM node_partition WHERE node_id = ?",
                    rs -> rs.getString(1), nodeId));
            for (String p : wanted) {
                if (!existing.contains(p)) {
                    Sql.update(c, "INSERT INTO node_partition (node_id, id) VALUES (?, ?)", nodeId, p);
                    changes.touch(nodeId);
                }
            }
            for (String p : existing) {
                if (!wanted.contains(p)
                        && Sql.update(c, "DELETE FROM node_partition WHERE node_id = ? AND id = ? AND instance_id IS NULL", nodeId, p) > 0) {
                    changes.touch(nodeId);
                }
            }
            if (!changes.nodes().isEmpty()) {
                AuditLog.record(c, who, "node.format", "node:" + nodeId, wanted.size() + " partitions");
            }
            return changes;
        });
    }

    public void supply(Principal who, SupplyRequest req) {
        requireUser(who);
        Validate.present("body", req);
        String url = Validate.text("url", req.url(), 2048);
        String nodeId = Validate.id("node", req.node());
        SupplyState state = req.state() == null ? SupplyState.AVAILABLE : req.state();
        write(who, c -> {
            String owner = Sql.one(c, "SELECT owner FROM node WHERE id = ?", rs -> rs.getString(1), nodeId)
                    .orElseThrow(() -> ApiException.notFound("unknown_node", "no node '" + nodeId + "'"));
            if (!who.admin() && !owner.equals(who.subject())) {
                throw ApiException.forbidden("node '" + nodeId + "' belongs to another user");
            }
            Changes changes = new Changes();
            String current = Sql.one(c, "SELECT requested_state FROM supply WHERE node_id = ? AND url = ?",
                    rs -> rs.getString(1), nodeId, url).orElse(null);
            long now = System.currentTimeMillis();
            if (current == null) {
                if (state == SupplyState.AVAILABLE) {
                    Sql.update(c, "INSERT INTO supply (node_id, url, requested_state, updated_at) VALUES (?, ?, ?, ?)",
                            nodeId, url, state.json(), now);
                    changes.touch(nodeId);
                }
            } else if (!current.equals(state.json())) {
                Sql.update(c, "UPDATE supply SET requested_state = ?, updated_at = ? WHERE node_id = ? AND url = ?",
                        state.json(), now, nodeId, url);
                changes.touch(nodeId);
            }
            if (!changes.nodes().isEmpty()) {
                AuditLog.record(c, who, "supply." + state.json(), "node:" + nodeId, url);
            }
            return changes;
        });
    }

    public void reportSoftware(Principal who, String nodeId, SoftwareReport report) {
        requireNode(who, nodeId);
        Validate.present("body", report);
        String url = Validate.text("url", report.url(), 2048);
        SoftwareState state = Validate.present("state", report.state());
        write(who, c -> {
            Changes changes = new Changes();
            var row = Sql.one(c, "SELECT requested_state FROM supply WHERE node_id = ? AND url = ?", rs -> rs.getString(1), nodeId, url);
            if (row.isEmpty() && state == SoftwareState.DESTROYED) {
                return changes; // already removed: a repeated report is fine
            }
            String requested = row.orElseThrow(() -> ApiException.notFound("unknown_supply",
                    "'" + url + "' is not supplied to node '" + nodeId + "'"));
            changes.touch(nodeId);
            if (state == SoftwareState.DESTROYED && requested.equals(SupplyState.DESTROYED.json())) {
                Sql.update(c, "DELETE FROM supply WHERE node_id = ? AND url = ?", nodeId, url);
            } else {
                Sql.update(c, "UPDATE supply SET reported_state = ?, error_log = ?, updated_at = ? WHERE node_id = ? AND url = ?",
                        state.json(), state == SoftwareState.ERROR ? report.log() : null, System.currentTimeMillis(), nodeId, url);
            }
            AuditLog.record(c, who, "software." + state.json(), "node:" + nodeId, url);
            return changes;
        });
    }

    public List<NodeSummary> list(Principal who) {
        requireUser(who);
        String sql = "SELECT n.id, n.last_contact, COUNT(p.id), SUM(CASE WHEN p.id IS NOT NULL AND p.instance_id IS NULL THEN 1 ELSE 0 END)"
                + " FROM node n LEFT JOIN node_partition p ON p.node_id = n.id "
                + (who.admin() ? "" : "WHERE n.owner = ? ") + "GROUP BY n.id, n.last_contact ORDER BY n.id";
        Object[] args = who.admin() ? new Object[0] : new Object[] {who.subject()};
        return db.read(c -> Sql.list(c, sql, rs -> {
            long last = rs.getLong(2);
            Long lastContact = rs.wasNull() ? null : last;
            return new NodeSummary(rs.getString(1), rs.getInt(3), rs.getInt(4), lastContact);
        }, args));
    }

    private void write(Principal who, Database.Work<Changes> work) {
        Changes.write(db, listener, work);
    }

    /** Refuses unless {@code who} is node {@code nodeId} itself. */
    public static void requireNode(Principal who, String nodeId) {
        if (who.kind() != Principal.Kind.NODE) {
            throw ApiException.forbidden("this call needs the credential of node '" + nodeId + "'");
        }
        if (!who.subject().equals(nodeId)) {
            throw new ApiException(403, "wrong_node", "this credential is node '" + who.subject() + "', not '" + nodeId + "'");
        }
    }

    static void requireUser(Principal who) {
        if (!who.isUser()) {
            throw ApiException.forbidden("this call needs a user's API token");
        }
    }
}
