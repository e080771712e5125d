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

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.cluster.ClusterMemberships;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ClusterMembership;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.SoftwareUrl;
import org.slapgrid.slap.model.NodeCredentials;
import org.slapgrid.slap.model.NodeDeletion;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.NodeRegistration;
import org.slapgrid.slap.model.NodeSummary;
import org.slapgrid.slap.model.NodeUpdate;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.SoftwareReport;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SoftwareSupply;
import org.slapgrid.slap.model.SupplyRequest;
import org.slapgrid.slap.model.SupplyState;

/** Nodes: registration, format reports, supplies, software reports and the node information. */
public final class NodeService {
    /** How often a node's last contact is written, by default (a write per poll would cost more than the poll). */
    private static final long CONTACT_WRITE_INTERVAL_MS = 30_000;
    /** Node documents kept (one per node; beyond this the least used are rebuilt when asked for). */
    private static final int MAX_CACHED_DOCUMENTS = 10_000;
    private volatile long contactWriteIntervalMs = CONTACT_WRITE_INTERVAL_MS;
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");

    private final Database db;
    private final ChangeListener listener;
    private final Limits limits;
    private final Map<String, Long> contactWritten = new ConcurrentHashMap<>();
    /** Node information by node, valid for the version it was built at (any change bumps it); Caffeine's, bounded. */
    private final Cache<String, NodeInfo> infoCache = Caffeine.newBuilder().maximumSize(MAX_CACHED_DOCUMENTS).build();

    public NodeService(Database db, ChangeListener listener, Limits limits) {
        this.db = db;
        this.listener = listener;
        this.limits = limits;
    }

    /** Registers a node owned by the caller: the admin, or a user the admin allowed to. */
    public NodeCredentials register(Principal caller, NodeRegistration reg) {
        requireUser(caller);
        Validate.present("body", reg);
        String id = Validate.id("id", reg.id());
        List<String> partitions = reg.partitions() == null ? List.of() : reg.partitions();
        checkPartitions(partitions);
        String secret = Secrets.newToken("sgn_");
        db.transaction(c -> {
            NodeAccess.requireMayRegister(c, caller);
            if (Sql.one(c, "SELECT 1 FROM node WHERE id = ?", rs -> true, id).isPresent()) {
                throw ApiException.conflict("node_exists", "node '" + id + "' is already registered");
            }
            long now = System.currentTimeMillis();
            // The first version is the time, not 1: a node deleted and registered again under the
            // same id must not repeat a version another master may still hold a document of.
            Sql.update(c, "INSERT INTO node (id, owner, version, created_at) VALUES (?, ?, ?, ?)", id, caller.subject(), now, now);
            if (!db.isSqlite()) {
                Changes.announce(c, id);
            }
            for (String p : new LinkedHashSet<>(partitions)) {
                Sql.update(c, "INSERT INTO node_partition (node_id, id) VALUES (?, ?)", id, p);
            }
            CredentialStore.insert(c, secret, Principal.node(id));
            AuditLog.record(c, caller, "node.register", "node:" + id, partitions.size() + " partitions");
            return null;
        });
        return new NodeCredentials(id, secret);
    }

    /**
     * Writes a node's last contact at most this often ({@code MasterConfig.contactInterval}): a
     * flex cluster's primary is lost after a silence of its node, which must be longer than this.
     */
    public NodeService withContactInterval(java.time.Duration every) {
        contactWriteIntervalMs = every.toMillis();
        return this;
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

    /** Forgets the cached documents of {@code nodeIds} (changed through another master). */
    public void forget(Set<String> nodeIds) {
        infoCache.invalidateAll(nodeIds);
    }

    /** Forgets every cached document (after a gap in the change feed: changes may have been missed). */
    public void forgetAll() {
        infoCache.invalidateAll();
    }

    /**
     * A node's own call other than a poll (a state report) is contact too: a node that just
     * reported its instance started is alive, whatever its poll loop is doing at that moment.
     */
    public void heardFrom(Principal caller, String nodeId) {
        if (caller.kind() == Principal.Kind.NODE && caller.subject().equals(nodeId)) {
            recordContact(nodeId);
        }
    }

    private void recordContact(String nodeId) {
        long now = System.currentTimeMillis();
        Long last = contactWritten.get(nodeId);
        if (last == null || now - last > contactWriteIntervalMs) {
            contactWritten.put(nodeId, now);
            db.read(c -> Sql.update(c, "UPDATE node SET last_contact = ? WHERE id = ?", now, nodeId));
        }
    }

    /** Everything node {@code nodeId} must converge. */
    public NodeInfo info(Principal caller, String nodeId) {
        requireNode(caller, nodeId);
        long version = version(nodeId).orElseThrow(() -> ApiException.notFound("unknown_node", "no node '" + nodeId + "'"));
        NodeInfo cached = infoCache.getIfPresent(nodeId);
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
                NodeService::supplyRow, nodeId);
        Map<String, Instance> byPartition = new HashMap<>();
        Map<String, ClusterMembership> clusters = ClusterMemberships.forNode(c, nodeId);
        for (Instance i : InstanceRows.where(c, "WHERE i.node_id = ? AND i.partition_id IS NOT NULL", nodeId)) {
            ClusterMembership m = clusters.get(i.id());
            byPartition.put(i.partition(), m == null ? i : i.withCluster(m));
        }
        Map<String, List<Instance>> sharedByHost = new HashMap<>();
        for (Instance s : InstanceRows.where(c, "WHERE i.shared = ? AND i.node_id = ? AND i.host_id IS NOT NULL ORDER BY i.name",
                true, nodeId)) {
            sharedByHost.computeIfAbsent(s.host(), k -> new ArrayList<>()).add(s);
        }
        Map<String, List<org.slapgrid.slap.model.PartitionJob>> jobs = org.slapgrid.master.jobs.JobService.openJobsOfNode(c, nodeId);
        List<PartitionInfo> partitions = new ArrayList<>();
        for (String[] p : Sql.list(c, "SELECT id, instance_id FROM node_partition WHERE node_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, nodeId)) {
            Instance i = byPartition.get(p[0]);
            partitions.add(new PartitionInfo(p[0], i, i == null ? List.of() : sharedByHost.getOrDefault(i.id(), List.of()),
                    i == null ? List.of() : jobs.getOrDefault(i.id(), List.of())));
        }
        partitions.sort(java.util.Comparator.comparing(PartitionInfo::id, NodeService::naturalOrder));
        return new NodeInfo(nodeId, version, software, partitions, org.slapgrid.master.jobs.JobService.openNodeJobs(c, nodeId));
    }

    /**
     * A supply row. One the master cannot read whole (an unknown state) is still sent, so the
     * rest of the document stays: kept as available (a node never removes a release on a
     * misread), its error log saying what was wrong.
     */
    private static SoftwareSupply supplyRow(java.sql.ResultSet rs) throws SQLException {
        String url = rs.getString("url");
        String log = rs.getString("error_log");
        SupplyState requested;
        try {
            requested = SupplyState.parse(rs.getString("requested_state"));
        } catch (IllegalArgumentException e) {
            requested = SupplyState.AVAILABLE;
            log = "the master cannot read this supply's requested state: " + e.getMessage();
        }
        SoftwareState reported;
        try {
            String state = rs.getString("reported_state");
            reported = state == null ? null : SoftwareState.parse(state);
        } catch (IllegalArgumentException e) {
            reported = null;
            log = "the master cannot read this supply's reported state: " + e.getMessage();
        }
        return new SoftwareSupply(url, requested, reported, log);
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

    private void checkPartitions(List<String> partitions) {
        if (partitions.size() > limits.maxPartitionsPerNode()) {
            throw ParameterCheck.limit("partitions: " + partitions.size() + " listed; a node has at most "
                    + limits.maxPartitionsPerNode() + " (maxPartitionsPerNode)");
        }
        partitions.forEach(p -> Validate.id("partitions[]", p));
    }

    /** Adds the node's new partitions; drops free partitions it no longer has; keeps busy ones. */
    public void reportFormat(Principal caller, String nodeId, List<String> partitions) {
        reportFormat(caller, nodeId, partitions, null);
    }

    /**
     * The same, with each partition's address (by partition id; null or absent: unknown): a
     * changed address re-converges the members of the clusters hosted there, whose peers list it.
     */
    public void reportFormat(Principal caller, String nodeId, List<String> partitions, Map<String, String> addresses) {
        requireNode(caller, nodeId);
        checkPartitions(Validate.present("partitions", partitions));
        Set<String> wanted = new LinkedHashSet<>(partitions);
        Map<String, String> addressOf = addresses == null ? Map.of() : addresses;
        for (Map.Entry<String, String> a : addressOf.entrySet()) {
            if (!wanted.contains(a.getKey())) {
                throw ApiException.badRequest("addresses: partition '" + a.getKey() + "' is not among partitions");
            }
            if (a.getValue() != null && !IPV4.matcher(a.getValue()).matches()) {
                throw ApiException.badRequest("addresses." + a.getKey() + ": expected an IPv4 address, got '" + a.getValue() + "'");
            }
        }
        write(caller, c -> {
            Changes changes = new Changes();
            Set<String> existing = new LinkedHashSet<>(Sql.list(c, "SELECT id FROM node_partition WHERE node_id = ?",
                    rs -> rs.getString(1), nodeId));
            for (String p : wanted) {
                if (!existing.contains(p)) {
                    Sql.update(c, "INSERT INTO node_partition (node_id, id, address) VALUES (?, ?, ?)", nodeId, p, addressOf.get(p));
                    changes.touch(nodeId);
                } else if (addressOf.containsKey(p) && Sql.update(c, "UPDATE node_partition SET address = ? WHERE node_id = ? AND id = ?"
                        + " AND (address IS NULL OR address <> ?)", addressOf.get(p), nodeId, p, addressOf.get(p)) > 0) {
                    changes.touch(nodeId);
                    // the peers of a member hosted there list its address
                    for (String instance : Sql.list(c, "SELECT instance_id FROM node_partition WHERE node_id = ? AND id = ?"
                            + " AND instance_id IS NOT NULL", rs -> rs.getString(1), nodeId, p)) {
                        ClusterMemberships.touchPeers(c, instance, changes);
                    }
                }
            }
            for (String p : existing) {
                if (!wanted.contains(p)
                        && Sql.update(c, "DELETE FROM node_partition WHERE node_id = ? AND id = ? AND instance_id IS NULL", nodeId, p) > 0) {
                    changes.touch(nodeId);
                }
            }
            if (!changes.nodes().isEmpty()) {
                AuditLog.record(c, caller, "node.format", "node:" + nodeId, wanted.size() + " partitions");
            }
            return changes;
        });
    }

    public void supply(Principal caller, SupplyRequest req) {
        requireUser(caller);
        Validate.present("body", req);
        String url = Validate.text("url", req.url(), 2048);
        String nodeId = Validate.id("node", req.node());
        SupplyState state = req.state() == null ? SupplyState.AVAILABLE : req.state();
        if (state == SupplyState.AVAILABLE) {
            // Refused here rather than failing on the node; a removal is never refused for its URL.
            try {
                SoftwareUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("url: the node cannot use it: " + e.getMessage());
            }
        }
        write(caller, c -> {
            String owner = Sql.one(c, "SELECT owner FROM node WHERE id = ?", rs -> rs.getString(1), nodeId)
                    .orElseThrow(() -> ApiException.notFound("unknown_node", "no node '" + nodeId + "'"));
            if (!caller.admin() && !owner.equals(caller.subject())) {
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
                AuditLog.record(c, caller, "supply." + state.json(), "node:" + nodeId, url);
            }
            return changes;
        });
    }

    public void reportSoftware(Principal caller, String nodeId, SoftwareReport report) {
        requireNode(caller, nodeId);
        Validate.present("body", report);
        String url = Validate.text("url", report.url(), 2048);
        SoftwareState state = Validate.present("state", report.state());
        write(caller, c -> {
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
                        state.json(), state == SoftwareState.ERROR ? Validate.tail(report.log(), limits.maxLogChars()) : null,
                        System.currentTimeMillis(), nodeId, url);
            }
            AuditLog.record(c, caller, "software." + state.json(), "node:" + nodeId, url);
            return changes;
        });
    }

    /** A node's summary row (with its partition counts); append a WHERE, then {@link #SUMMARY_GROUP}. */
    private static final String SUMMARY = "SELECT n.id, n.owner, n.disabled, n.last_contact, COUNT(p.id) AS partition_count,"
            + " SUM(CASE WHEN p.id IS NOT NULL AND p.instance_id IS NULL THEN 1 ELSE 0 END) AS free_count"
            + " FROM node n LEFT JOIN node_partition p ON p.node_id = n.id ";
    private static final String SUMMARY_GROUP = "GROUP BY n.id, n.owner, n.disabled, n.last_contact";

    /** Every node for an admin; for a user, the nodes it owns or that are shared with it. */
    public List<NodeSummary> list(Principal caller) {
        requireUser(caller);
        String sql = SUMMARY + (caller.admin() ? "" : "WHERE n.owner = ? OR EXISTS (SELECT 1 FROM node_share s"
                + " WHERE s.node_id = n.id AND (s.grantee = ? OR s.grantee = ?)) ") + SUMMARY_GROUP + " ORDER BY n.id";
        Object[] args = caller.admin() ? new Object[0] : new Object[] {caller.subject(), caller.subject(), NodeAccess.EVERYONE};
        return db.read(c -> {
            Map<String, List<String>> shares = new HashMap<>();
            for (String[] s : Sql.list(c, "SELECT node_id, grantee FROM node_share ORDER BY grantee",
                    rs -> new String[] {rs.getString(1), rs.getString(2)})) {
                shares.computeIfAbsent(s[0], k -> new ArrayList<>()).add(s[1]);
            }
            return Sql.list(c, sql, rs -> summary(rs, shares), args);
        });
    }

    private static NodeSummary summary(java.sql.ResultSet rs, Map<String, List<String>> shares) throws SQLException {
        long last = rs.getLong("last_contact");
        Long lastContact = rs.wasNull() ? null : last;
        String id = rs.getString("id");
        return new NodeSummary(id, rs.getString("owner"), rs.getBoolean("disabled"), shares.getOrDefault(id, List.of()),
                rs.getInt("partition_count"), rs.getInt("free_count"), lastContact);
    }

    private NodeSummary summary(String nodeId) {
        return db.read(c -> {
            List<String> shared = Sql.list(c, "SELECT grantee FROM node_share WHERE node_id = ? ORDER BY grantee",
                    rs -> rs.getString(1), nodeId);
            return Sql.one(c, SUMMARY + "WHERE n.id = ? " + SUMMARY_GROUP, rs -> summary(rs, Map.of(nodeId, shared)), nodeId)
                    .orElseThrow(() -> ApiException.notFound("unknown_node", "no node '" + nodeId + "'"));
        });
    }

    /** The admin or the node's owner: a disabled node gets no new instances; what it hosts stays. */
    public NodeSummary update(Principal caller, String nodeId, NodeUpdate update) {
        Validate.present("body", update);
        db.transaction(c -> {
            NodeAccess.requireManager(c, caller, nodeId);
            if (update.disabled() != null) {
                Sql.update(c, "UPDATE node SET disabled = ? WHERE id = ?", update.disabled(), nodeId);
                AuditLog.record(c, caller, update.disabled() ? "node.disable" : "node.enable", "node:" + nodeId, null);
            }
            return null;
        });
        return summary(nodeId);
    }

    /** The admin or the node's owner lets {@code grantee} (a user, or {@code *} for every user) allocate on the node. */
    public void share(Principal caller, String nodeId, String grantee, boolean shared) {
        String user = NodeAccess.EVERYONE.equals(grantee) ? grantee : Validate.id("user", grantee);
        db.transaction(c -> {
            NodeAccess.requireManager(c, caller, nodeId);
            boolean exists = Sql.one(c, "SELECT 1 FROM node_share WHERE node_id = ? AND grantee = ?", rs -> true, nodeId, user)
                    .isPresent();
            if (shared && !exists) {
                Sql.update(c, "INSERT INTO node_share (node_id, grantee) VALUES (?, ?)", nodeId, user);
                AuditLog.record(c, caller, "node.share", "node:" + nodeId, user);
            } else if (!shared && exists) {
                Sql.update(c, "DELETE FROM node_share WHERE node_id = ? AND grantee = ?", nodeId, user);
                AuditLog.record(c, caller, "node.unshare", "node:" + nodeId, user);
            }
            return null;
        });
    }

    /**
     * The admin forgets a node: its supplies, partitions and shares, the instances it hosts (with
     * their credentials and bangs; their descendants on other nodes are destroyed as by a removal)
     * and its secret. For a node that is gone for good: nothing is asked of it any more.
     */
    public NodeDeletion delete(Principal caller, String nodeId) {
        requireUser(caller);
        if (!caller.admin()) {
            throw ApiException.forbidden("only the admin deletes nodes");
        }
        int[] count = new int[1];
        write(caller, c -> {
            NodeAccess.requireManager(c, caller, nodeId);
            Changes changes = new Changes();
            changes.touch(nodeId); // other masters forget their document of it
            List<Instance> hosted = InstanceRows.where(c, "WHERE i.node_id = ?", nodeId);
            for (Instance h : hosted) {
                for (Instance child : InstanceRows.where(c, "WHERE i.parent_id = ?", h.id())) {
                    if (!nodeId.equals(child.node())) {
                        InstanceRemoval.destroyTree(c, caller, child, changes);
                    }
                }
            }
            for (Instance h : hosted) {
                InstanceRemoval.deleteInstance(c, h);
            }
            count[0] = hosted.size();
            Sql.update(c, "DELETE FROM node_partition WHERE node_id = ?", nodeId);
            Sql.update(c, "DELETE FROM supply WHERE node_id = ?", nodeId);
            Sql.update(c, "DELETE FROM node_share WHERE node_id = ?", nodeId);
            CredentialStore.revoke(c, Principal.Kind.NODE, nodeId);
            Sql.update(c, "DELETE FROM node WHERE id = ?", nodeId);
            AuditLog.record(c, caller, "node.delete", "node:" + nodeId, hosted.size() + " instances");
            return changes;
        });
        infoCache.invalidate(nodeId);
        contactWritten.remove(nodeId);
        return new NodeDeletion(nodeId, count[0]);
    }

    private void write(Principal caller, Database.Work<Changes> work) {
        Changes.write(db, listener, work);
    }

    /** Refuses unless {@code caller} is node {@code nodeId} itself. */
    public static void requireNode(Principal caller, String nodeId) {
        if (caller.kind() != Principal.Kind.NODE) {
            throw ApiException.forbidden("this call needs the credential of node '" + nodeId + "'");
        }
        if (!caller.subject().equals(nodeId)) {
            throw new ApiException(403, "wrong_node", "this credential is node '" + caller.subject() + "', not '" + nodeId + "'");
        }
    }

    public static void requireUser(Principal caller) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("this call needs a user's API token");
        }
    }
}
