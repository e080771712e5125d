package org.slapgrid.master.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.master.store.StoreException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceReport;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceSecret;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.ServiceAction;
import org.slapgrid.slap.tags.TagRule;

/**
 * Instances, the API's one entry point: requests (create or update; checks in {@link CheckedRequest},
 * placement in {@link Allocation}) and reads here; each other concern in its own class, which this
 * one calls: tree destruction ({@link InstanceRemoval}), nodes' reports ({@link InstanceReports}),
 * connection parameters ({@link ConnectionPublishing}), bangs ({@link Bangs}), instance secrets
 * ({@link InstanceSecrets}), stops/starts/restarts by tag ({@link ServiceActions}). Every change
 * bumps the instance's timestamp and its node's version.
 */
public final class InstanceService {
    private final Database db;
    private final ChangeListener listener;
    private final Limits limits;
    private final ParameterSchemas schemas = new ParameterSchemas();
    private final InstanceRemoval removal;
    private final InstanceReports reports;
    private final ConnectionPublishing publishing;
    private final Bangs bangs;
    private final InstanceSecrets secrets;
    private final ServiceActions serviceActions;

    /**
     * Told, after commit, that a node reported an instance's status tree. Kept apart from the
     * {@link ChangeListener}: a status tree is nothing the node must re-read, so it bumps no version
     * and wakes no long-poll; only the web UI's live pages want it.
     */
    @FunctionalInterface
    public interface StatusListener {
        void reported(String instanceId, String owner);
    }

    public InstanceService(Database db, ChangeListener listener, Limits limits) {
        this.db = db;
        this.listener = listener;
        this.limits = limits;
        this.removal = new InstanceRemoval(db, listener);
        this.reports = new InstanceReports(db, listener, limits);
        this.publishing = new ConnectionPublishing(db, listener, limits);
        this.bangs = new Bangs(db, listener, limits);
        this.secrets = new InstanceSecrets(db);
        this.serviceActions = new ServiceActions(db, listener);
    }

    /** Who hears of status trees (one listener: the master wires the web UI's live feed here). */
    public void onStatusReport(StatusListener l) {
        reports.onStatusReport(l);
    }

    /** The answer to a request: the instance, and whether it was created (201) or found (200). */
    public record RequestResult(Instance instance, boolean created) {
    }

    /** A request by a user (for itself) or by an instance (for a child). Idempotent by (requester, name). */
    public RequestResult request(Principal caller, InstanceRequest req) {
        if (caller.kind() == Principal.Kind.NODE) {
            throw ApiException.forbidden("a node cannot request instances; use the instance's own secret");
        }
        Validate.present("body", req);
        CheckedRequest r = CheckedRequest.of(req, limits);
        if (r.state() != RequestedState.DESTROYED) {
            schemas.check(r.url(), r.type(), r.params());
        }
        try {
            return attempt(caller, r);
        } catch (StoreException e) {
            // Two masters (or threads on PostgreSQL) created the same (requester, name) at once:
            // the loser's insert broke the unique key; the second attempt finds the row and updates it.
            if (isUniqueViolation(e)) {
                return attempt(caller, r);
            }
            throw e;
        }
    }

    private RequestResult attempt(Principal caller, CheckedRequest r) {
        RequestResult[] out = new RequestResult[1];
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            Instance parent = null;
            String requester;
            String owner;
            if (caller.kind() == Principal.Kind.INSTANCE) {
                parent = InstanceRows.byId(c, caller.subject())
                        .orElseThrow(() -> ApiException.notFound("unknown_instance", "the requesting instance no longer exists"));
                requester = "instance:" + parent.id();
                owner = parent.owner();
            } else {
                requester = "user:" + caller.subject();
                owner = caller.subject();
            }
            Optional<Instance> existing = InstanceRows.byRequester(c, requester, r.name());
            if (existing.isPresent()) {
                out[0] = new RequestResult(update(c, caller, existing.get(), r, changes), false);
            } else {
                out[0] = new RequestResult(create(c, caller, requester, owner, parent, r, changes), true);
            }
            return changes;
        });
        return out[0];
    }

    private Instance update(Connection c, Principal caller, Instance old, CheckedRequest r, Changes changes) throws SQLException {
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
            InstanceRemoval.destroyTree(c, caller, old, changes);
        } else {
            Sql.update(c, "UPDATE instance SET software_url = ?, software_type = ?, parameters = ?, requested_state = ?, ts = ? WHERE id = ?",
                    r.url(), r.type(), InstanceRows.json(r.params()), r.state().json(), InstanceRows.nextTimestamp(old.timestamp()), old.id());
            changes.touch(old.node());
            AuditLog.record(c, caller, "instance.update", "instance:" + old.id(), String.join(",", changed));
        }
        return InstanceRows.byId(c, old.id()).orElse(old);
    }

    private Instance create(Connection c, Principal caller, String requester, String owner, Instance parent, CheckedRequest r,
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
            Instance host = Allocation.findHost(c, r, owner);
            hostId = host.id();
            nodeId = host.node();
        } else {
            NodeAccess.requireQuota(c, owner, limits);
            String[] slot = Allocation.allocate(c, id, r, owner);
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
        AuditLog.record(c, caller, "instance.create", "instance:" + id,
                r.name() + (partitionId == null ? " shared on " + hostId : " on " + nodeId + "/" + partitionId));
        return InstanceRows.byId(c, id).orElseThrow();
    }

    /** The release parameter schemas requests are checked against (the web UI's form uses the same). */
    public ParameterSchemas schemas() {
        return schemas;
    }

    /** Asks for the destruction of one of the user's instances and of all its descendants. */
    public Instance remove(Principal caller, String name) {
        return removal.remove(caller, name, false);
    }

    /** The cluster service drops one of its members (a user's {@link #remove} of a member is refused). */
    public Instance removeMember(Principal owner, String name) {
        return removal.remove(owner, name, true);
    }

    /** The user's instances and their descendants; every instance for an admin. */
    public List<Instance> list(Principal caller) {
        NodeService.requireUser(caller);
        return db.read(c -> caller.admin()
                ? InstanceRows.where(c, "ORDER BY i.created_at, i.id")
                : InstanceRows.where(c, "WHERE i.owner = ? ORDER BY i.created_at, i.id", caller.subject()));
    }

    /** One of the user's instances by name: one it requested, else the only descendant with that name. */
    public Instance info(Principal caller, String name) {
        NodeService.requireUser(caller);
        return db.read(c -> InstanceLookup.named(c, caller, name));
    }

    /**
     * Stops, starts or restarts the services of one of the user's instances that {@code action.tags()}
     * selects (see {@link ServiceActions}). 400 for a bad expression or action, 422 past
     * {@link org.slapgrid.slap.tags.TagRules#MAX_RULES}.
     */
    public Instance services(Principal caller, String name, ServiceAction action) {
        NodeService.requireUser(caller);
        if (action != null && "restart".equals(action.action())) {
            String canonical = ServiceActions.tagExpression(action.tags());
            return serviceActions.restart(caller, info(caller, name), canonical);
        }
        TagRule rule = ServiceActions.tagRule(action);
        return serviceActions.apply(caller, info(caller, name), rule);
    }

    /** A node's status tree of the instance in one of its partitions (see {@link InstanceReports}). */
    public void reportStatus(Principal caller, String nodeId, String partition, PartitionStatus status) {
        reports.reportStatus(caller, nodeId, partition, status);
    }

    /** The status tree of one of the user's instances (404 until its node reported one). */
    public PartitionStatus status(Principal caller, String name) {
        return reports.status(info(caller, name), name);
    }

    /** The calling instance itself. */
    public Instance self(Principal caller) {
        InstanceLookup.requireInstance(caller);
        return db.read(c -> InstanceLookup.self(c, caller));
    }

    /** A node reports the state of a partition's instance; destroyed (when asked for) frees the partition. */
    public void report(Principal caller, String nodeId, String partition, InstanceReport report) {
        reports.report(caller, nodeId, partition, report);
    }

    /** Connection parameters, published by the partition's node. */
    public void publish(Principal caller, String nodeId, String partition, Map<String, Object> params) {
        publishing.publish(caller, nodeId, partition, params);
    }

    /** Connection parameters, published by the instance itself. */
    public void publishSelf(Principal caller, Map<String, Object> params) {
        publishing.publishSelf(caller, params);
    }

    /** A bang reported by the partition's node. */
    public void bang(Principal caller, String nodeId, String partition, String message) {
        bangs.bang(caller, nodeId, partition, message);
    }

    /** A bang reported by the instance itself. */
    public void bangSelf(Principal caller, String message) {
        bangs.bangSelf(caller, message);
    }

    /** Issues a fresh secret for the partition's instance to its node; the previous one stops working. */
    public InstanceSecret issueSecret(Principal caller, String nodeId, String partition) {
        return secrets.issue(caller, nodeId, partition);
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
