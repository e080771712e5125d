package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.service.Schedule;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.Json;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.DeletionPolicy;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.JobInfo;
import org.slapgrid.slap.model.MemberResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps the hooked actions of cluster members (their stage, {@link MemberStages}) without a
 * thread per action: one duty of the master's {@link Schedule} looks at the staged members every {@code tick} and
 * when woken (a job ended, a token was completed), and moves each on when what it waits for
 * happened, each move one transaction (so a restarted master goes on from the stored stage).
 *
 * <ul>
 * <li>vertical action (resize, disk attach/detach): PRE_SCALE (its job ended well) → APPLYING
 * (the member's new resources set and its node told; waits for the node's report on that
 * version) → POST_SCALE (job ended) → done, task NONE. A failing pre-scale stops the action
 * before anything changed: task NONE, said in the events and the answer's lastError.</li>
 * <li>removal (shrink, scale-in, destroy): every leaving member's pre-scale (vm_remove) first;
 * one failing stops the whole operation (the members stay, the wanted counts are restored);
 * then each started member WAITING_LIFECYCLE_COMPLETION until completed or hook_timeout;
 * READY members are destroyed by the cluster's convergence, which tells the others (on-remove).</li>
 * </ul>
 */
public final class ScalingDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingDriver.class);
    /** How long a member's node may take to apply new resources before the action fails. */
    static final Duration APPLY_TIMEOUT = Duration.ofMinutes(10);

    private final Database db;
    private final ChangeListener listener;
    private final ClusterService clusters;
    private final Webhooks webhooks;
    /** Its registration in the master's schedule; null until started. */
    private volatile Schedule.Duty duty;

    ScalingDriver(Database db, ChangeListener listener, ClusterService clusters, List<Cidr> webhookAllow) {
        this.webhooks = new Webhooks(WebhookGuard.system(webhookAllow));
        this.db = db;
        this.listener = listener;
        this.clusters = clusters;
    }

    void start(Schedule schedule, Duration tick) {
        duty = schedule.every("scaling step", tick, this::tick);
    }

    /** Looks at the staged members soon (something they wait for happened). */
    void wake() {
        Schedule.Duty d = duty;
        if (d != null) {
            d.wake();
        }
    }

    /** Its webhooks' senders (the schedule, which steps it, is the master's to stop). */
    @Override
    public void close() {
        webhooks.close();
    }

    void tick() {
        Set<String> touched = new LinkedHashSet<>();
        for (MemberStages.Row m : db.read(MemberStages::staged)) {
            switch (m.stage()) {
                case PRE_SCALE, APPLYING, POST_SCALE -> vertical(m);
                case REMOVE_PRE_SCALE, WAITING_LIFECYCLE_COMPLETION, READY -> touched.add(m.clusterId());
            }
        }
        for (String clusterId : touched) {
            removal(clusterId);
        }
    }

    // ------------------------------------------------------------------ vertical actions

    private void vertical(MemberStages.Row m) {
        switch (m.stage()) {
            case PRE_SCALE -> {
                JobInfo job = job(m);
                if (job == null || !job.state().isFinal()) {
                    return;
                }
                if (!succeeded(job)) {
                    endVertical(m, "pre-scale failed on " + m.shortName() + " (" + outcome(job) + "); "
                            + action(m) + " not done, nothing changed", false);
                    return;
                }
                Changes.write(db, listener, c -> {
                    Changes changes = new Changes();
                    MemberStages.setResources(c, m, wanted(m));
                    long ts = ClusterMemberships.touchOne(c, m.instanceId(), changes);
                    Map<String, Object> pending = new LinkedHashMap<>(m.pending());
                    pending.put("appliedTimestamp", ts);
                    MemberStages.setPending(c, m.clusterId(), m.role(), m.index(), pending);
                    MemberStages.set(c, m, MemberStages.Stage.APPLYING, null, System.currentTimeMillis() + APPLY_TIMEOUT.toMillis());
                    return changes;
                });
            }
            case APPLYING -> {
                long ts = ((Number) m.pending().getOrDefault("appliedTimestamp", 0L)).longValue();
                Object[] seen = db.read(c -> Sql.one(c, "SELECT reported_ts, reported_state, error_log FROM instance WHERE id = ?",
                        rs -> new Object[] {rs.getObject(1) == null ? null : rs.getLong(1), rs.getString(2), rs.getString(3)},
                        m.instanceId()).orElse(new Object[] {null, null, null}));
                boolean applied = seen[0] != null && (Long) seen[0] >= ts;
                if (applied && InstanceState.ERROR.json().equals(seen[1])) {
                    endVertical(m, action(m) + " of " + m.shortName() + " failed on its node: " + firstLine((String) seen[2]), true);
                } else if (applied) {
                    Changes.write(db, listener, c -> {
                        Changes changes = new Changes();
                        ClusterEvents.append(c, m.clusterId(), "act", action(m) + " applied by " + m.shortName() + "'s node",
                                Map.of("member", m.shortName(), "resources", Json.lenient().convertValue(wanted(m), Map.class)));
                        String job = ScalingHooks.run(c, m.instanceId(), ScalingHooks.POST_SCALE, m.role(), List.of(m.shortName()),
                                action(m), changes);
                        MemberStages.set(c, m, MemberStages.Stage.POST_SCALE, job, 0);
                        return changes;
                    });
                } else if (System.currentTimeMillis() > m.deadline()) {
                    endVertical(m, action(m) + " of " + m.shortName() + ": its node did not apply it within "
                            + APPLY_TIMEOUT.toMinutes() + " min", true);
                }
            }
            case POST_SCALE -> {
                JobInfo job = job(m);
                if (job == null || !job.state().isFinal()) {
                    return;
                }
                boolean ok = succeeded(job);
                Changes.write(db, listener, c -> {
                    finish(c, m, ok ? null : "post-scale failed on " + m.shortName() + " (" + outcome(job) + "); "
                            + action(m) + " itself was done");
                    return new Changes();
                });
            }
            default -> { }
        }
    }

    /** Ends a vertical action short: the resources back as they were when {@code undo}, task NONE, said. */
    private void endVertical(MemberStages.Row m, String why, boolean undo) {
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            if (undo) {
                MemberStages.setResources(c, m, MemberStages.resources(json(m.pending().get("previous"))));
                ClusterMemberships.touchOne(c, m.instanceId(), changes);
            }
            finish(c, m, why);
            return changes;
        });
    }

    private void finish(Connection c, MemberStages.Row m, String error) throws SQLException {
        MemberStages.clear(c, m);
        Sql.update(c, "UPDATE cluster SET task = ?, last_error = ? WHERE id = ?", ClusterTask.NONE.name(), error, m.clusterId());
        ClusterEvents.append(c, m.clusterId(), error == null ? "converged" : "failed",
                error == null ? action(m) + " of " + m.shortName() + " done" : error, Map.of("member", m.shortName()));
    }

    private static String action(MemberStages.Row m) {
        return String.valueOf(m.pending().getOrDefault("action", "vm_resize"));
    }

    private static MemberResources wanted(MemberStages.Row m) {
        return MemberStages.resources(json(m.pending().get("resources")));
    }

    private static String json(Object value) {
        return value == null ? null : ClusterRows.json(value);
    }

    // ------------------------------------------------------------------ removals

    /** Moves the leaving members of one cluster on, then lets its convergence destroy the READY ones. */
    private void removal(String clusterId) {
        List<MemberStages.Row> rows = db.read(c -> MemberStages.of(c, clusterId));
        List<MemberStages.Row> leaving = rows.stream().filter(MemberStages.Row::leaving).toList();
        // 1. pre-scale (vm_remove) on every leaving member; one failing stops the operation
        boolean preScaling = false;
        for (MemberStages.Row m : leaving) {
            if (m.stage() != MemberStages.Stage.REMOVE_PRE_SCALE) {
                continue;
            }
            JobInfo job = job(m);
            if (job != null && !job.state().isFinal()) {
                preScaling = true;
                continue;
            }
            if (job == null || "ok".equals(m.pending().get("preScale"))) {
                continue;
            }
            if (!succeeded(job)) {
                stopRemoval(clusterId, leaving, "pre-scale (vm_remove) failed on " + m.shortName() + " (" + outcome(job)
                        + "); the removal is stopped, no member was removed");
                return;
            }
            db.transaction(c -> {
                Map<String, Object> pending = new LinkedHashMap<>(m.pending());
                pending.put("preScale", "ok");
                MemberStages.setPending(c, clusterId, m.role(), m.index(), pending);
                return null;
            });
        }
        if (preScaling) {
            return;
        }
        // 2. every pre-scale passed: lifecycle hooks for the started members, expiry of the late ones
        List<Lifecycle.Begun> begun = new ArrayList<>();
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            ClusterRows.Cluster cl = ClusterRows.byId(c, clusterId).orElse(null);
            if (cl == null) {
                return changes;
            }
            DeletionPolicy policy = DeletionPolicies.of(c, clusterId);
            for (MemberStages.Row m : MemberStages.of(c, clusterId)) {
                if (!m.leaving()) {
                    continue;
                }
                if (m.stage() == MemberStages.Stage.REMOVE_PRE_SCALE) {
                    if (policy.hookTimeout() > 0) {
                        begun.add(Lifecycle.begin(c, cl, m, policy, changes));
                    } else {
                        MemberStages.set(c, m, MemberStages.Stage.READY, null, 0);
                    }
                } else if (m.stage() == MemberStages.Stage.WAITING_LIFECYCLE_COMPLETION) {
                    if (System.currentTimeMillis() >= m.deadline()) {
                        Lifecycle.expire(c, m, policy, changes);
                    } else if (m.job() != null && Lifecycle.unheard(m, policy, JobService.get(c, m.job()).orElse(null))) {
                        Lifecycle.completeUnheard(c, m, policy);
                    }
                }
            }
            return changes;
        });
        for (Lifecycle.Begun b : begun) {
            if (b.webhookUrl() != null) {
                notifyWebhook(clusterId, b);
            }
        }
        // converge only when a member may go now (it writes): not at every tick of a wait
        if (db.read(c -> MemberStages.of(c, clusterId)).stream().anyMatch(m -> m.leaving() && m.stage() == MemberStages.Stage.READY)) {
            clusters.continueRemoval(clusterId);
        }
    }

    /** A failed pre-scale: every leaving member stays, the roles' wanted counts as before, task NONE. */
    private void stopRemoval(String clusterId, List<MemberStages.Row> leaving, String why) {
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            boolean shrinking = ClusterRows.byId(c, clusterId).map(cl -> cl.task() == ClusterTask.SHRINKING).orElse(false);
            for (MemberStages.Row m : leaving) {
                Lifecycle.withdraw(c, m);
                if (m.job() != null) {
                    JobService.cancel(c, m.job(), "the removal was stopped", changes);
                }
                MemberStages.clear(c, m);
                Sql.update(c, "UPDATE cluster_member SET leaving = ? WHERE cluster_id = ? AND role = ? AND idx = ?",
                        false, clusterId, m.role(), m.index());
                if (shrinking) {
                    Sql.update(c, "UPDATE cluster_role SET wanted = wanted + 1 WHERE cluster_id = ? AND name = ?", clusterId, m.role());
                }
            }
            Sql.update(c, "UPDATE cluster SET task = ?, last_error = ? WHERE id = ?", ClusterTask.NONE.name(), why, clusterId);
            ClusterEvents.append(c, clusterId, "failed", why, Map.of("stopped", true));
            ClusterMemberships.touchMembers(c, clusterId, null, changes);
            return changes;
        });
    }

    private void notifyWebhook(String clusterId, Lifecycle.Begun b) {
        String body;
        try {
            body = Json.lenient().writeValueAsString(b.notification());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String member = b.notification().member();
        webhooks.post(b.webhookUrl(), b.webhookSecret(), "lifecycle.termination", body, (result, what) -> {
            try {
                db.transaction(c -> {
                    if (result == Webhooks.Result.REFUSED) {
                        // its own kind: a refusal is the owner's URL pointing inside, not a receiver down
                        ClusterEvents.append(c, clusterId, "webhook.refused", "webhook for " + member + " " + what,
                                Map.of("member", member, "delivered", false, "refused", true));
                    } else {
                        ClusterEvents.append(c, clusterId, "lifecycle", "webhook for " + member + ": "
                                + (result == Webhooks.Result.DELIVERED ? "delivered, " : "NOT delivered, ") + what,
                                Map.of("member", member, "delivered", result == Webhooks.Result.DELIVERED));
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.warn("cannot record the webhook outcome: {}", e.toString());
            }
        });
    }

    // ------------------------------------------------------------------ jobs

    private JobInfo job(MemberStages.Row m) {
        return m.job() == null ? null : db.read(c -> JobService.get(c, m.job())).orElse(null);
    }

    static boolean succeeded(JobInfo job) {
        return job.state() == org.slapgrid.slap.model.JobState.DONE && (job.exitCode() == null || job.exitCode() == 0);
    }

    /** "exit 0 in 35 ms: <last line>", or the failure. */
    static String outcome(JobInfo job) {
        String how = job.exitCode() == null ? job.state().name().toLowerCase(java.util.Locale.ROOT) : "exit " + job.exitCode();
        return how + (job.durationMs() == null ? "" : " in " + job.durationMs() + " ms")
                + (job.output() == null || job.output().isBlank() ? "" : ": " + lastLine(job.output()));
    }

    static Map<String, Object> hookDetails(MemberStages.Row m, JobInfo job) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("member", m.shortName());
        d.put("hook", String.valueOf(job.args().get("hook")));
        d.put("action", String.valueOf(job.args().getOrDefault("action", "")));
        d.put("state", job.state().name());
        d.put("exitCode", job.exitCode());
        d.put("durationMs", job.durationMs());
        d.put("output", job.output() == null ? "" : job.output());
        return d;
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
