package org.slapgrid.master.service;

import java.util.Objects;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceReport;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.RequestedState;

/**
 * What nodes report of the instances in their partitions: the observed state (destroyed frees the
 * partition) and the status tree (services and promises).
 */
final class InstanceReports {
    /** The most services, promises and characters of output a status tree may hold (422 beyond). */
    static final int STATUS_MAX_ENTRIES = 500;
    static final int STATUS_MAX_TEXT = 8_000;

    private final Database db;
    private final ChangeListener listener;
    private final Limits limits;
    private volatile InstanceService.StatusListener statusListener = (instanceId, owner) -> { };

    InstanceReports(Database db, ChangeListener listener, Limits limits) {
        this.db = db;
        this.listener = listener;
        this.limits = limits;
    }

    void onStatusReport(InstanceService.StatusListener l) {
        this.statusListener = Objects.requireNonNull(l);
    }

    /** A node reports the state of a partition's instance; destroyed (when asked for) frees the partition. */
    void report(Principal caller, String nodeId, String partition, InstanceReport report) {
        Validate.present("body", report);
        InstanceState state = Validate.present("state", report.state());
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            if (state == InstanceState.DESTROYED && InstanceLookup.isFree(c, caller, nodeId, partition)) {
                return changes; // already destroyed and freed: a node repeating its report after a crash is fine
            }
            Instance i = InstanceLookup.inPartition(c, caller, nodeId, partition);
            if (state == InstanceState.DESTROYED) {
                if (i.requestedState() != RequestedState.DESTROYED) {
                    throw ApiException.conflict("not_destroyed", "instance '" + i.name() + "' in " + partition
                            + " is requested " + i.requestedState().json() + ", not destroyed");
                }
                Sql.update(c, "UPDATE node_partition SET instance_id = NULL WHERE node_id = ? AND id = ?", nodeId, partition);
                for (Instance s : InstanceRows.where(c, "WHERE i.host_id = ?", i.id())) {
                    InstanceRemoval.deleteInstance(c, s);
                }
                InstanceRemoval.deleteInstance(c, i);
                changes.touch(nodeId);
                AuditLog.record(c, caller, "instance.destroyed", "instance:" + i.id(), i.name() + " freed " + nodeId + "/" + partition);
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
                AuditLog.record(c, caller, "instance." + state.json(), "instance:" + i.id(), i.name());
            }
            return changes;
        });
    }

    /**
     * Why a service is held, as its node says: a known kind; a tag expression (canonical, so
     * nothing but tag characters is ever shown) or a cluster's name without control characters.
     */
    private static void checkHold(PartitionStatus.Hold h) {
        if (h == null) {
            return;
        }
        if (!PartitionStatus.Hold.KINDS.contains(h.kind())) {
            throw ApiException.badRequest("services[].hold.kind must be one of " + PartitionStatus.Hold.KINDS);
        }
        if (h.detail() == null) {
            return;
        }
        if (h.kind().equals(PartitionStatus.Hold.STANDBY)) {
            Validate.text("services[].hold.detail", h.detail(), 256);
            return;
        }
        try {
            if (!org.slapgrid.slap.tags.TagExpression.parse(h.detail()).toString().equals(h.detail())) {
                throw ApiException.badRequest("services[].hold.detail: not a canonical tag expression");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("services[].hold.detail: " + e.getMessage());
        }
    }

    /**
     * A node's status tree of the instance in one of its partitions. Observed state: it is not
     * in the node's document, so it bumps no version and wakes no poll.
     */
    void reportStatus(Principal caller, String nodeId, String partition, PartitionStatus status) {
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
            checkHold(sv.hold());
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
            Instance i = InstanceLookup.inPartition(c, caller, nodeId, partition);
            Sql.update(c, "UPDATE instance SET status_json = ?, status_at = ? WHERE id = ?",
                    InstanceRows.json(new PartitionStatus(status.services(), status.promises(), status.lastError(), null)), now, i.id());
            return i;
        });
        statusListener.reported(reported.id(), reported.owner());
    }

    /** The status tree of instance {@code i} (named {@code name} by the user; 404 until its node reported one). */
    PartitionStatus status(Instance i, String name) {
        return db.read(c -> Sql.one(c, "SELECT status_json, status_at FROM instance WHERE id = ?", rs -> {
            String json = rs.getString(1);
            long at = rs.getLong(2);
            return json == null ? null : InstanceRows.status(json).receivedAt(at);
        }, i.id())).orElseThrow(() -> ApiException.notFound("no_status",
                "the node of '" + name + "' has not reported its status yet"));
    }
}
