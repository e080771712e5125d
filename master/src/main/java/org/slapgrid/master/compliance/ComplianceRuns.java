package org.slapgrid.master.compliance;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.AuditLog;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.service.NodeService;
import org.slapgrid.master.service.Validate;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.Compliance;
import org.slapgrid.slap.model.JobInfo;
import org.slapgrid.slap.model.JobState;

/**
 * Compliance runs the master asks for ({@code slapos compliance run}): a node's node-level
 * modules through a node-level job, an instance's through a partition job of its partition, a
 * cluster's through one per member. Each job is of kind {@code compliance}; its node runs the
 * modules as {@code slapos node compliance} does, sends every result as usual (the results
 * command lists them) and ends the job with each module's status, which the run shows. Who may
 * ask is who may attach to the target; another user's run is answered 404.
 */
public final class ComplianceRuns {
    /** The job kind the node runs (org.slapgrid.node.compliance.ComplianceJob). */
    public static final String KIND = "compliance";
    /** A run's longest time on its node: modules take at most 10 minutes per action, a moduleset several. */
    static final Duration TIMEOUT = Duration.ofHours(2);

    private final Database db;
    private final ChangeListener listener;

    public ComplianceRuns(Database db, ChangeListener listener) {
        this.db = db;
        this.listener = listener;
    }

    public Compliance.Run create(Principal caller, Compliance.RunRequest r) {
        NodeService.requireUser(caller);
        Validate.present("body", r);
        Validate.present("targetKind", r.targetKind());
        Validate.text("target", r.target(), 255);
        Compliance.Action action = r.action() == null ? Compliance.Action.check : r.action();
        String moduleset = r.moduleset() == null ? null : Validate.id("moduleset", r.moduleset());
        String module = r.module() == null ? null : Validate.id("module", r.module());
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("action", action.name());
        if (moduleset != null) {
            args.put("moduleset", moduleset);
        }
        if (module != null) {
            args.put("module", module);
        }
        String id = Ids.next("cr");
        args.put("run", id);
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            String target = ComplianceService.target(c, caller, r.targetKind(), r.target());
            Sql.update(c, "INSERT INTO compliance_run (id, owner, target_kind, target, action, moduleset, module, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, caller.subject(), r.targetKind().name(), r.target(), action.name(),
                    moduleset, module, System.currentTimeMillis());
            switch (r.targetKind()) {
                case node -> {
                    lock(c, id, "node:" + target, r);
                    part(c, id, target, null, JobService.createForNode(c, target, KIND, args, TIMEOUT, changes));
                }
                case instance -> {
                    lock(c, id, "instance:" + target, r);
                    instancePart(c, id, target, args, changes);
                }
                case cluster -> {
                    List<String> members = Sql.list(c, "SELECT m.instance_id FROM cluster_member m JOIN instance i"
                            + " ON i.id = m.instance_id WHERE m.cluster_id = ? AND i.partition_id IS NOT NULL"
                            + " AND i.requested_state <> 'destroyed' ORDER BY i.name", rs -> rs.getString(1), target);
                    if (members.isEmpty()) {
                        throw ApiException.conflict("not_allocated", "cluster '" + r.target()
                                + "' has no member on a node: nothing to run compliance on");
                    }
                    for (String m : members) {
                        lock(c, id, "instance:" + m, r);
                        instancePart(c, id, m, args, changes);
                    }
                }
            }
            AuditLog.record(c, caller, "compliance.run", r.targetKind() + ":" + r.target(), action
                    + (moduleset == null ? "" : " --moduleset " + moduleset) + (module == null ? "" : " --module " + module));
            return changes;
        });
        return get(caller, id);
    }

    /**
     * Takes the target's lock for {@code run}: refused (409 {@code compliance_run_busy}, naming the
     * running run) while another run on the same node level or instance has not ended, since two
     * runs of the same modules at once could fix against each other. A cluster's run takes each
     * member's, so it waits for an instance's run on a member and the other way round. The lock
     * of a run that ended is taken over; the primary key makes two masters' inserts one.
     */
    private static void lock(Connection c, String run, String key, Compliance.RunRequest r) throws SQLException {
        var holder = Sql.one(c, "SELECT run_id FROM compliance_run_lock WHERE target_key = ?", rs -> rs.getString(1), key);
        if (holder.isPresent()) {
            if (!ended(c, holder.get())) {
                throw busy(holder.get(), r);
            }
            Sql.update(c, "DELETE FROM compliance_run_lock WHERE target_key = ? AND run_id = ?", key, holder.get());
        }
        try {
            Sql.update(c, "INSERT INTO compliance_run_lock (target_key, run_id) VALUES (?, ?)", key, run);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw busy("(being created)", r); // another run took it in the same instant
            }
            throw e;
        }
    }

    private static ApiException busy(String running, Compliance.RunRequest r) {
        return ApiException.conflict("compliance_run_busy", "compliance run " + running + " on " + r.targetKind() + " '"
                + r.target() + "' has not ended: one run at a time per target (slapos compliance run-status " + running + ")");
    }

    /** Whether every part of {@code run} has ended (a part whose job is gone has). */
    private static boolean ended(Connection c, String run) throws SQLException {
        for (String[] row : Sql.list(c, "SELECT job_id, instance_id FROM compliance_run_job WHERE run_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2)}, run)) {
            JobInfo job = (row[1] == null ? JobService.getNodeJob(c, row[0]) : JobService.get(c, row[0])).orElse(null);
            if (job != null && !job.state().isFinal()) {
                return false;
            }
        }
        return true;
    }

    private static void instancePart(Connection c, String run, String instanceId, Map<String, Object> args, Changes changes)
            throws SQLException {
        String job = JobService.create(c, instanceId, KIND, args, TIMEOUT, changes);
        String node = Sql.one(c, "SELECT node_id FROM instance WHERE id = ?", rs -> rs.getString(1), instanceId).orElseThrow();
        Sql.update(c, "INSERT INTO compliance_run_job (run_id, job_id, node_id, instance_id) VALUES (?, ?, ?, ?)",
                run, job, node, instanceId);
    }

    private static void part(Connection c, String run, String node, String instanceId, String job) throws SQLException {
        Sql.update(c, "INSERT INTO compliance_run_job (run_id, job_id, node_id, instance_id) VALUES (?, ?, ?, ?)",
                run, job, node, instanceId);
    }

    /** A {@code compliance_run} row. */
    private record RunRow(String owner, String targetKind, String target, String action, String moduleset, String module,
                          long createdAt) {
    }

    /** A {@code compliance_run_job} row with its instance's name and partition (null for a node-level job's). */
    private record PartRow(String jobId, String node, String instanceId, String instanceName, String partition) {
    }

    /** A run of the caller (the admin: any), with its parts as their jobs now are. */
    public Compliance.Run get(Principal caller, String id) {
        NodeService.requireUser(caller);
        return db.read(c -> {
            RunRow head = Sql.one(c, "SELECT owner, target_kind, target, action, moduleset, module, created_at FROM compliance_run"
                    + " WHERE id = ?", rs -> new RunRow(rs.getString("owner"), rs.getString("target_kind"), rs.getString("target"),
                    rs.getString("action"), rs.getString("moduleset"), rs.getString("module"), rs.getLong("created_at")), id)
                    .filter(h -> caller.admin() || h.owner().equals(caller.subject()))
                    .orElseThrow(() -> ApiException.notFound("unknown_run", "you have no compliance run '" + id + "'"));
            List<Compliance.RunPart> parts = new ArrayList<>();
            for (PartRow row : Sql.list(c, "SELECT x.job_id, x.node_id, x.instance_id, i.name, i.partition_id FROM compliance_run_job x"
                    + " LEFT JOIN instance i ON i.id = x.instance_id WHERE x.run_id = ? ORDER BY x.job_id",
                    rs -> new PartRow(rs.getString("job_id"), rs.getString("node_id"), rs.getString("instance_id"), rs.getString("name"),
                            rs.getString("partition_id")), id)) {
                JobInfo job = (row.instanceId() == null ? JobService.getNodeJob(c, row.jobId()) : JobService.get(c, row.jobId()))
                        .orElse(null);
                parts.add(part(row, job));
            }
            JobState state = state(parts);
            boolean ok = state == JobState.DONE && parts.stream().allMatch(Compliance.RunPart::ok);
            return new Compliance.Run(id, Compliance.TargetKind.valueOf(head.targetKind()), head.target(),
                    Compliance.Action.valueOf(head.action()), head.moduleset(), head.module(), head.createdAt(), state, ok, parts);
        });
    }

    private static Compliance.RunPart part(PartRow row, JobInfo job) {
        if (job == null) {
            return new Compliance.RunPart(row.node(), row.partition(), row.instanceName(), row.jobId(), JobState.FAILED, null,
                    "the job is gone", List.of());
        }
        List<Compliance.ModuleStatus> modules = new ArrayList<>();
        if (job.result() != null && job.result().get("modules") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    modules.add(new Compliance.ModuleStatus(str(m.get("partition")), str(m.get("instance")), str(m.get("module")),
                            m.get("status") instanceof Number n ? n.intValue() : -1, str(m.get("note"))));
                }
            }
        }
        return new Compliance.RunPart(row.node(), row.partition(), row.instanceName(), row.jobId(), job.state(), job.exitCode(),
                job.output(), modules);
    }

    /** PENDING while no part started, DONE or FAILED once every part ended (FAILED: one did), RUNNING between. */
    static JobState state(List<Compliance.RunPart> parts) {
        if (parts.stream().allMatch(p -> p.state().isFinal())) {
            return parts.stream().anyMatch(p -> p.state() == JobState.FAILED) ? JobState.FAILED : JobState.DONE;
        }
        return parts.stream().allMatch(p -> p.state() == JobState.PENDING) ? JobState.PENDING : JobState.RUNNING;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
