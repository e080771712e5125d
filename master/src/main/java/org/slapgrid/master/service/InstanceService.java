package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.cluster.ClusterMemberships;
import org.slapgrid.master.auth.Secrets;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.master.store.StoreException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.ServiceAction;
import org.slapgrid.slap.tags.TagRule;
import org.slapgrid.slap.tags.TagRules;
import org.slapgrid.slap.model.InstanceReport;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceSecret;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;

/**
 * Instances: requests and allocation, removal, reports from nodes, connection parameters,
 * bangs and instance secrets. Every change bumps the instance's timestamp and its node's version.
 */
public final class InstanceService {
    private static final Set<String> FILTER_KEYS = Set.of("node", "partition");

    private final Database db;
    private final ChangeListener listener;
    private final Limits limits;
    private final RateLimiter bangs;
    private final RateLimiter publishes;
    private final ParameterSchemas schemas = new ParameterSchemas();
    private volatile StatusListener statusListener = (instanceId, owner) -> { };

    /**
     * Told, after commit, that a node reported an instance's status tree. Kept apart from the
     * {@link ChangeListener}: a status tree is nothing the node must re-read, so it bumps no version
     * and wakes no long-poll; only the web UI's live pages want it.
     */
    @FunctionalInterface
    public interface StatusListener {
        void reported(String instanceId, String owner);
    }

    public InstanceService(Database db, ChangeListener listener) {
        this(db, listener, Limits.defaults());
    }

    public InstanceService(Database db, ChangeListener listener, Limits limits) {
        this.db = db;
        this.listener = listener;
        this.limits = limits;
        this.bangs = new RateLimiter(limits.bangRate(), "bangs");
        this.publishes = new RateLimiter(limits.publishRate(), "changes of connection parameters");
    }

    /** Who hears of status trees (one listener: the master wires the web UI's live feed here). */
    public void onStatusReport(StatusListener l) {
        this.statusListener = Objects.requireNonNull(l);
    }

    /** The answer to a request: the instance, and whether it was created (201) or found (200). */
    public record RequestResult(Instance instance, boolean created) {
    }

    /** A request by a user (for itself) or by an instance (for a child). Idempotent by (requester, name). */
    public RequestResult request(Principal who, InstanceRequest req) {
        if (who.kind() == Principal.Kind.NODE) {
            throw ApiException.forbidden("a node cannot request instances; use the instance's own secret");
        }
        Validate.present("body", req);
        Checked r = check(req, limits);
        if (r.state() != RequestedState.DESTROYED) {
            schemas.check(r.url(), r.type(), r.params());
        }
        try {
            return attempt(who, r);
        } catch (StoreException e) {
            // Two masters (or threads on PostgreSQL) created the same (requester, name) at once:
            // the loser's insert broke the unique key; the second attempt finds the row and updates it.
            if (isUniqueViolation(e)) {
                return attempt(who, r);
            }
            throw e;
        }
    }

    private record Checked(String name, String url, String type, Map<String, Object> params, RequestedState state,
                           boolean shared, Map<String, String> filter) {
    }

    private static Checked check(InstanceRequest req, Limits limits) {
        String name = Validate.text("name", req.name(), 255);
        String url = Validate.text("softwareUrl", req.softwareUrl(), 2048);
        String type = req.softwareType() == null ? "default" : Validate.text("softwareType", req.softwareType(), 255);
        Map<String, String> filter = req.filter() == null ? Map.of() : req.filter();
        for (Map.Entry<String, String> f : filter.entrySet()) {
            if (!FILTER_KEYS.contains(f.getKey())) {
                throw new ApiException(400, "bad_filter", "filter." + f.getKey() + " is not a known filter (known: node, partition)");
            }
            Validate.id("filter." + f.getKey(), f.getValue());
        }
        Map<String, Object> params = req.parameters() == null ? Map.of() : req.parameters();
        ParameterCheck.check("parameters", params, limits, limits.maxParametersBytes());
        return new Checked(name, url, type, params,
                req.state() == null ? RequestedState.STARTED : req.state(), req.shared(), filter);
    }

    private RequestResult attempt(Principal who, Checked r) {
        RequestResult[] out = new RequestResult[1];
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            Instance parent = null;
            String requester;
            String owner;
            if (who.kind() == Principal.Kind.INSTANCE) {
                parent = InstanceRows.byId(c, who.subject())
                        .orElseThrow(() -> ApiException.notFound("unknown_instance", "the requesting instance no longer exists"));
                requester = "instance:" + parent.id();
                owner = parent.owner();
            } else {
                requester = "user:" + who.subject();
                owner = who.subject();
            }
            Optional<Instance> existing = InstanceRows.byRequester(c, requester, r.name());
            if (existing.isPresent()) {
                out[0] = new RequestResult(update(c, who, existing.get(), r, changes), false);
            } else {
                out[0] = new RequestResult(create(c, who, requester, owner, parent, r, changes), true);
            }
            return changes;
        });
        return out[0];
    }

    private Instance update(Connection c, Principal who, Instance old, Checked r, Changes changes) throws SQLException {
        if (old.requestedState() == RequestedState.DESTROYED && r.state() != RequestedState.DESTROYED) {
            throw ApiException.conflict("being_destroyed", "instance '" + r.name() + "' is being destroyed; request it again once it is gone");
        }
        if (old.shared() != r.shared()) {
            throw ApiException.conflict("shared_mismatch", "instance '" + r.name() + "' exists with shared=" + old.shared());
        }
        List<String> changed = new ArrayList<>();
        if (!old.softwareUrl().equals(r.url())) {
            changed.add("softwareUrl");
        }
        if (!old.softwareType().equals(r.type())) {
            changed.add("softwareType");
        }
        if (!old.parameters().equals(r.params())) { // Map equality: the order of keys does not matter
            changed.add("parameters");
        }
        if (old.requestedState() != r.state()) {
            changed.add("state");
        }
        if (changed.isEmpty()) {
            return old;
        }
        if (r.state() == RequestedState.DESTROYED) {
            destroyTree(c, who, old, changes);
        } else {
            Sql.update(c, "UPDATE instance SET software_url = ?, software_type = ?, parameters = ?, requested_state = ?, ts = ? WHERE id = ?",
                    r.url(), r.type(), InstanceRows.json(r.params()), r.state().json(), InstanceRows.nextTimestamp(old.timestamp()), old.id());
            changes.touch(old.node());
            AuditLog.record(c, who, "instance.update", "instance:" + old.id(), String.join(",", changed));
        }
        return InstanceRows.byId(c, old.id()).orElse(old);
    }

    private Instance create(Connection c, Principal who, String requester, String owner, Instance parent, Checked r,
                            Changes changes) throws SQLException {
        if (r.state() == RequestedState.DESTROYED) {
            throw ApiException.notFound("unknown_instance", "instance '" + r.name() + "' does not exist, so it cannot be destroyed");
        }
        String id = Ids.next("i");
        String nodeId;
        String partitionId = null;
        String hostId = null;
        if (r.shared()) {
            NodeAccess.requireSharedBound(c, owner, limits);
            Instance host = findHost(c, r, owner);
            hostId = host.id();
            nodeId = host.node();
        } else {
            NodeAccess.requireQuota(c, owner, limits);
            String[] slot = allocate(c, id, r, owner);
            nodeId = slot[0];
            partitionId = slot[1];
        }
        String rootId = parent == null ? id : parent.root();
        long now = System.currentTimeMillis();
        Sql.update(c, "INSERT INTO instance (id, requester, name, owner, root_id, parent_id, software_url, software_type,"
                        + " parameters, requested_state, shared, node_filter, node_id, partition_id, host_id, connection_params, ts, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, requester, r.name(), owner, rootId, parent == null ? null : parent.id(), r.url(), r.type(),
                InstanceRows.json(r.params()), r.state().json(), r.shared(), InstanceRows.json(r.filter()), nodeId, partitionId,
                hostId, "{}", now * 1000L, now);
        changes.touch(nodeId);
        AuditLog.record(c, who, "instance.create", "instance:" + id,
                r.name() + (partitionId == null ? " shared on " + hostId : " on " + nodeId + "/" + partitionId));
        return InstanceRows.byId(c, id).orElseThrow();
    }

    /**
     * Claims a free partition on a node that {@code owner} may use, that has the release supplied and
     * passes the filter: {node, partition}. Nodes the owner may not use are never candidates, and
     * a filter naming one is answered as naming no node (their names are not the owner's business).
     */
    private static String[] allocate(Connection c, String instanceId, Checked r, String owner) throws SQLException {
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
    private static Instance findHost(Connection c, Checked r, String owner) throws SQLException {
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

    /** The release parameter schemas requests are checked against (the web UI's form uses the same). */
    public ParameterSchemas schemas() {
        return schemas;
    }

    /** Asks for the destruction of one of the user's instances and of all its descendants. */
    public Instance remove(Principal who, String name) {
        return remove(who, name, false);
    }

    /** The cluster service drops one of its members (a user's {@link #remove} of a member is refused). */
    public Instance removeMember(Principal owner, String name) {
        return remove(owner, name, true);
    }

    private Instance remove(Principal who, String name, boolean asCluster) {
        NodeService.requireUser(who);
        Instance[] out = new Instance[1];
        Changes.write(db, listener, c -> {
            Instance target = InstanceRows.byRequester(c, "user:" + who.subject(), name)
                    .orElseThrow(() -> ApiException.notFound("unknown_instance", "you have no instance named '" + name + "'"));
            if (!asCluster && Sql.one(c, "SELECT 1 FROM cluster_member WHERE instance_id = ?", rs -> true, target.id()).isPresent()) {
                throw ApiException.conflict("cluster_member", "instance '" + name + "' is a cluster member; drop it with"
                        + " `slapos cluster shrink` (or destroy the cluster)");
            }
            Changes changes = new Changes();
            destroyTree(c, who, target, changes);
            out[0] = InstanceRows.byId(c, target.id()).orElse(target);
            return changes;
        });
        return out[0];
    }

    /**
     * Marks {@code top} and its descendants destroyed. An allocated instance keeps its partition
     * until its node reports it destroyed; one without a partition (shared) goes at once.
     */
    static void destroyTree(Connection c, Principal who, Instance top, Changes changes) throws SQLException {
        Deque<Instance> todo = new ArrayDeque<>(List.of(top));
        while (!todo.isEmpty()) {
            Instance i = todo.pop();
            todo.addAll(InstanceRows.where(c, "WHERE i.parent_id = ?", i.id()));
            if (i.partition() == null) {
                deleteInstance(c, i);
            } else if (i.requestedState() != RequestedState.DESTROYED) {
                Sql.update(c, "UPDATE instance SET requested_state = 'destroyed', ts = ? WHERE id = ?",
                        InstanceRows.nextTimestamp(i.timestamp()), i.id());
            }
            changes.touch(i.node());
            AuditLog.record(c, who, "instance.destroy", "instance:" + i.id(), i.name());
        }
    }

    static void deleteInstance(Connection c, Instance i) throws SQLException {
        CredentialStore.revoke(c, Principal.Kind.INSTANCE, i.id());
        Sql.update(c, "DELETE FROM bang WHERE instance_id = ?", i.id());
        // A member whose instance is gone (its node deleted) is no member any more: no row points at nothing.
        Sql.update(c, "DELETE FROM cluster_member WHERE instance_id = ?", i.id());
        Sql.update(c, "DELETE FROM instance WHERE id = ?", i.id());
    }

    /** The user's instances and their descendants; every instance for an admin. */
    public List<Instance> list(Principal who) {
        NodeService.requireUser(who);
        return db.read(c -> who.admin()
                ? InstanceRows.where(c, "ORDER BY i.created_at, i.id")
                : InstanceRows.where(c, "WHERE i.owner = ? ORDER BY i.created_at, i.id", who.subject()));
    }

    /** One of the user's instances by name: one it requested, else the only descendant with that name. */
    public Instance info(Principal who, String name) {
        NodeService.requireUser(who);
        return db.read(c -> {
            Optional<Instance> own = InstanceRows.byRequester(c, "user:" + who.subject(), name);
            if (own.isPresent()) {
                return own.get();
            }
            List<Instance> named = InstanceRows.where(c, "WHERE i.owner = ? AND i.name = ?", who.subject(), name);
            if (named.size() == 1) {
                return named.get(0);
            }
            throw named.isEmpty()
                    ? ApiException.notFound("unknown_instance", "you have no instance named '" + name + "'")
                    : ApiException.conflict("ambiguous_name", named.size() + " of your instances are named '" + name + "'");
        });
    }

    /**
     * Stops or starts the services of one of the user's instances that {@code action.tags()}
     * selects: a rule added to its stops and starts by tag (desired state), its node woken to
     * apply it. 400 for a bad expression or action, 422 past {@link TagRules#MAX_RULES}.
     */
    public Instance services(Principal who, String name, ServiceAction action) {
        NodeService.requireUser(who);
        if (action != null && "restart".equals(action.action())) {
            return restartTagged(who, name, action.tags());
        }
        TagRule rule = tagRule(action);
        Instance target = info(who, name);
        Instance[] out = new Instance[1];
        Changes.write(db, listener, c -> {
            out[0] = applyTagRule(c, who, target.id(), rule);
            Changes changes = new Changes();
            changes.touch(out[0].node());
            return changes;
        });
        return out[0];
    }

    /**
     * Restarts the instance's services that {@code tags} selects, once: a {@code restart} job
     * (its node restarts them, never one stopped on purpose, and reports when its promises are
     * kept). Not desired state: nothing is kept once it is done.
     */
    private Instance restartTagged(Principal who, String name, String tags) {
        String canonical = tagExpression(tags);
        Instance target = info(who, name);
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            restartJob(c, target.id(), canonical, changes);
            AuditLog.record(c, who, "instance.services.restart", "instance:" + target.id(), target.name() + " --tags " + canonical);
            return changes;
        });
        return db.read(c -> InstanceRows.byId(c, target.id()).orElseThrow());
    }

    /** A tag expression from a request, canonical ({@code sm+pod02,db}); 400 naming what is wrong. */
    public static String tagExpression(String tags) {
        try {
            return org.slapgrid.slap.tags.TagExpression.parse(tags).toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** A {@code restart} job of the instance's services that {@code canonical} selects (its node: 5 minutes at most). */
    public static String restartJob(Connection c, String instanceId, String canonical, Changes changes) throws SQLException {
        return org.slapgrid.master.jobs.JobService.create(c, instanceId, "restart", Map.of("tags", canonical),
                java.time.Duration.ofMinutes(5), changes);
    }

    /** A checked rule from a request: 400 naming what is wrong. */
    public static TagRule tagRule(ServiceAction action) {
        Validate.present("body", action);
        boolean stopped = switch (action.action() == null ? "" : action.action()) {
            case "stop" -> true;
            case "start" -> false;
            default -> throw ApiException.badRequest("action must be 'stop', 'start' or 'restart' (got "
                    + (action.action() == null ? "nothing" : "'" + Validate.clip(action.action()) + "'") + ")");
        };
        try {
            return new TagRule(action.tags(), stopped);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * Adds {@code rule} to instance {@code instanceId}'s rules and bumps it (its node applies it);
     * the caller touches the node. An instance already gone: nothing, null.
     */
    public static Instance applyTagRule(Connection c, Principal who, String instanceId, TagRule rule) throws SQLException {
        Instance i = InstanceRows.byId(c, instanceId).orElse(null);
        if (i == null) {
            return null;
        }
        List<TagRule> rules;
        try {
            rules = TagRules.with(i.tagRules(), rule);
        } catch (IllegalArgumentException e) {
            throw ParameterCheck.limit(e.getMessage());
        }
        Sql.update(c, "UPDATE instance SET tag_rules = ?, ts = ? WHERE id = ?", InstanceRows.jsonList(rules),
                InstanceRows.nextTimestamp(i.timestamp()), i.id());
        AuditLog.record(c, who, rule.stopped() ? "instance.services.stop" : "instance.services.start",
                "instance:" + i.id(), i.name() + " --tags " + rule.tags());
        return InstanceRows.byId(c, i.id()).orElseThrow();
    }

    /** The most services, promises and characters of output a status tree may hold (422 beyond). */
    static final int STATUS_MAX_ENTRIES = 500;
    static final int STATUS_MAX_TEXT = 8_000;

    /**
     * A node's status tree of the instance in one of its partitions. Observed state: it is not
     * in the node's document, so it bumps no version and wakes no poll.
     */
    public void reportStatus(Principal who, String nodeId, String partition, PartitionStatus status) {
        Validate.present("body", status);
        if (status.services().size() > STATUS_MAX_ENTRIES || status.promises().size() > STATUS_MAX_ENTRIES) {
            throw ParameterCheck.limit("services and promises are limited to " + STATUS_MAX_ENTRIES + " each");
        }
        for (PartitionStatus.Service sv : status.services()) {
            Validate.text("services[].name", sv.name(), 256);
            Validate.text("services[].state", sv.state(), 32);
            if (sv.tags().size() > 32) {
                throw ParameterCheck.limit("services[].tags: at most 32 tags a service");
            }
            for (String tag : sv.tags()) {
                try {
                    org.slapgrid.slap.tags.TagExpression.checkTag(tag == null ? "" : tag, "services[].tags");
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("services[].tags: " + e.getMessage());
                }
            }
        }
        for (PartitionStatus.Promise pr : status.promises()) {
            Validate.text("promises[].name", pr.name(), 256);
            if (pr.output() != null && pr.output().length() > STATUS_MAX_TEXT) {
                throw ParameterCheck.limit("promises[].output is longer than " + STATUS_MAX_TEXT + " characters");
            }
        }
        if (status.lastError() != null && status.lastError().length() > STATUS_MAX_TEXT) {
            throw ParameterCheck.limit("lastError is longer than " + STATUS_MAX_TEXT + " characters");
        }
        long now = System.currentTimeMillis();
        Instance reported = db.transaction(c -> {
            Instance i = inPartition(c, who, nodeId, partition);
            Sql.update(c, "UPDATE instance SET status_json = ?, status_at = ? WHERE id = ?",
                    InstanceRows.json(new PartitionStatus(status.services(), status.promises(), status.lastError(), null)), now, i.id());
            return i;
        });
        statusListener.reported(reported.id(), reported.owner());
    }

    /** The status tree of one of the user's instances (404 until its node reported one). */
    public PartitionStatus status(Principal who, String name) {
        Instance i = info(who, name);
        return db.read(c -> Sql.one(c, "SELECT status_json, status_at FROM instance WHERE id = ?", rs -> {
            String json = rs.getString(1);
            long at = rs.getLong(2);
            return json == null ? null : InstanceRows.status(json).receivedAt(at);
        }, i.id())).orElseThrow(() -> ApiException.notFound("no_status",
                "the node of '" + name + "' has not reported its status yet"));
    }

    /** The calling instance itself. */
    public Instance self(Principal who) {
        requireInstance(who);
        return db.read(c -> InstanceRows.byId(c, who.subject()))
                .orElseThrow(() -> ApiException.notFound("unknown_instance", "this instance no longer exists"));
    }

    /** The instance in a node's partition, for that node's own calls. */
    private static Instance inPartition(Connection c, Principal who, String nodeId, String partition) throws SQLException {
        NodeService.requireNode(who, nodeId);
        Optional<String> slot = Sql.one(c, "SELECT instance_id FROM node_partition WHERE node_id = ? AND id = ?",
                rs -> Objects.requireNonNullElse(rs.getString(1), ""), nodeId, partition);
        if (slot.isEmpty()) {
            throw ApiException.notFound("unknown_partition", "node '" + nodeId + "' has no partition '" + partition + "'");
        }
        if (slot.get().isEmpty()) {
            throw ApiException.notFound("no_instance", "partition '" + partition + "' of node '" + nodeId + "' hosts no instance");
        }
        return InstanceRows.byId(c, slot.get()).orElseThrow();
    }

    private static boolean isFree(Connection c, Principal who, String nodeId, String partition) throws SQLException {
        NodeService.requireNode(who, nodeId);
        return Sql.one(c, "SELECT 1 FROM node_partition WHERE node_id = ? AND id = ? AND instance_id IS NULL",
                rs -> true, nodeId, partition).isPresent();
    }

    /** A node reports the state of a partition's instance; destroyed (when asked for) frees the partition. */
    public void report(Principal who, String nodeId, String partition, InstanceReport report) {
        Validate.present("body", report);
        InstanceState state = Validate.present("state", report.state());
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            if (state == InstanceState.DESTROYED && isFree(c, who, nodeId, partition)) {
                return changes; // already destroyed and freed: a node repeating its report after a crash is fine
            }
            Instance i = inPartition(c, who, nodeId, partition);
            if (state == InstanceState.DESTROYED) {
                if (i.requestedState() != RequestedState.DESTROYED) {
                    throw ApiException.conflict("not_destroyed", "instance '" + i.name() + "' in " + partition
                            + " is requested " + i.requestedState().json() + ", not destroyed");
                }
                Sql.update(c, "UPDATE node_partition SET instance_id = NULL WHERE node_id = ? AND id = ?", nodeId, partition);
                for (Instance s : InstanceRows.where(c, "WHERE i.host_id = ?", i.id())) {
                    deleteInstance(c, s);
                }
                deleteInstance(c, i);
                changes.touch(nodeId);
                AuditLog.record(c, who, "instance.destroyed", "instance:" + i.id(), i.name() + " freed " + nodeId + "/" + partition);
                return changes;
            }
            String log = state == InstanceState.ERROR ? Validate.tail(report.log(), limits.maxLogChars()) : null;
            Long answered = report.timestamp() == null ? i.reportedTimestamp() : report.timestamp();
            if (state != i.reportedState() || !Objects.equals(log, i.errorLog()) || !Objects.equals(answered, i.reportedTimestamp())) {
                // The node's document carries this observed state and is cached by the node's
                // version: a report that changes it bumps the version, so what the master serves
                // (to the node's next poll too) is never stale and the node never repeats a report.
                Sql.update(c, "UPDATE instance SET reported_state = ?, error_log = ?, reported_ts = ? WHERE id = ?",
                        state.json(), log, answered, i.id());
                changes.touch(nodeId);
                AuditLog.record(c, who, "instance." + state.json(), "instance:" + i.id(), i.name());
            }
            return changes;
        });
    }

    /** Connection parameters, published by the partition's node. */
    public void publish(Principal who, String nodeId, String partition, Map<String, Object> params) {
        Validate.present("parameters", params);
        ParameterCheck.check("connectionParameters", params, limits, limits.maxConnectionBytes());
        Changes.write(db, listener, c -> publish(c, who, inPartition(c, who, nodeId, partition), params));
    }

    /** Connection parameters, published by the instance itself. */
    public void publishSelf(Principal who, Map<String, Object> params) {
        requireInstance(who);
        Validate.present("parameters", params);
        ParameterCheck.check("connectionParameters", params, limits, limits.maxConnectionBytes());
        Changes.write(db, listener, c -> publish(c, who, InstanceRows.byId(c, who.subject())
                .orElseThrow(() -> ApiException.notFound("unknown_instance", "this instance no longer exists")), params));
    }

    private Changes publish(Connection c, Principal who, Instance i, Map<String, Object> params) throws SQLException {
        Changes changes = new Changes();
        if (i.connectionParameters().equals(params)) {
            return changes; // unchanged (in any key order): no write, no wake-up, not counted
        }
        publishes.acquire(i.id());
        String json = InstanceRows.json(new LinkedHashMap<>(params));
        Sql.update(c, "UPDATE instance SET connection_params = ? WHERE id = ?", json, i.id());
        changes.touch(i.node()); // its own node's document carries them (the version keys its cache)
        ClusterMemberships.touchPeers(c, i.id(), changes); // a cluster's members list each other's
        if (i.parent() != null) {
            // The requester reads its children's connection parameters when it converges: make it converge again.
            Optional<Instance> parent = InstanceRows.byId(c, i.parent());
            if (parent.isPresent()) {
                Sql.update(c, "UPDATE instance SET ts = ? WHERE id = ?", InstanceRows.nextTimestamp(parent.get().timestamp()), parent.get().id());
                changes.touch(parent.get().node());
            }
        }
        AuditLog.record(c, who, "instance.publish", "instance:" + i.id(), Validate.clip(String.join(",", params.keySet())));
        return changes;
    }

    /** A bang reported by the partition's node. */
    public void bang(Principal who, String nodeId, String partition, String message) {
        Changes.write(db, listener, c -> bang(c, who, inPartition(c, who, nodeId, partition), message));
    }

    /** A bang reported by the instance itself. */
    public void bangSelf(Principal who, String message) {
        requireInstance(who);
        Changes.write(db, listener, c -> bang(c, who, InstanceRows.byId(c, who.subject())
                .orElseThrow(() -> ApiException.notFound("unknown_instance", "this instance no longer exists")), message));
    }

    /** Records the bang and bumps the timestamp of every instance of the tree, so each node re-converges its part. */
    private Changes bang(Connection c, Principal who, Instance i, String message) throws SQLException {
        bangs.acquire(i.id());
        String msg = Validate.tail(message == null ? "" : message, limits.maxMessageChars());
        Sql.update(c, "INSERT INTO bang (id, at, instance_id, actor, message) VALUES (?, ?, ?, ?, ?)",
                Ids.next("b"), System.currentTimeMillis(), i.id(), who.actor(), msg);
        Retention.keepNewestBangs(c, i.id(), limits.bangsPerInstance());
        long maxTs = Sql.one(c, "SELECT MAX(ts) FROM instance WHERE root_id = ?", rs -> rs.getLong(1), i.root()).orElse(0L);
        Sql.update(c, "UPDATE instance SET ts = ? WHERE root_id = ?", InstanceRows.nextTimestamp(maxTs), i.root());
        Changes changes = new Changes();
        Sql.list(c, "SELECT DISTINCT node_id FROM instance WHERE root_id = ? AND node_id IS NOT NULL", rs -> rs.getString(1), i.root())
                .forEach(changes::touch);
        AuditLog.record(c, who, "instance.bang", "instance:" + i.id(), i.name());
        return changes;
    }

    /** Issues a fresh secret for the partition's instance to its node; the previous one stops working. */
    public InstanceSecret issueSecret(Principal who, String nodeId, String partition) {
        String secret = Secrets.newToken("sgi_");
        String id = db.transaction(c -> {
            Instance i = inPartition(c, who, nodeId, partition);
            CredentialStore.revoke(c, Principal.Kind.INSTANCE, i.id());
            CredentialStore.insert(c, secret, Principal.instance(i.id()));
            AuditLog.record(c, who, "instance.secret", "instance:" + i.id(), null);
            return i.id();
        });
        return new InstanceSecret(id, secret);
    }

    private static void requireInstance(Principal who) {
        if (who.kind() != Principal.Kind.INSTANCE) {
            throw ApiException.forbidden("this call needs an instance's secret");
        }
    }

    private static boolean isUniqueViolation(StoreException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("23505".equals(s.getSQLState())
                    || (s.getMessage() != null && s.getMessage().contains("UNIQUE constraint failed")))) {
                return true;
            }
        }
        return false;
    }
}
