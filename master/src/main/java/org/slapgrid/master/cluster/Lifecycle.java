package org.slapgrid.master.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.DeletionPolicy;
import org.slapgrid.slap.model.LifecycleNotification;

/**
 * Lifecycle hooks with drain (seed 003, Senlin's): a started member chosen for removal waits in
 * {@code WAITING_LIFECYCLE_COMPLETION} until its token is completed or the policy's
 * {@code hook_timeout} passes. The notification goes (a) to the member's own queue, read with
 * its instance secret ({@link #queue}), (b) to its {@code etc/lifecycle/termination}, a job of
 * kind {@value #KIND} its node runs with {@code SLAPGRID_LIFECYCLE_TOKEN}, and (c) to the
 * cluster's webhook when it has one (sent by the caller after commit, {@link Webhooks}).
 *
 * <p>A token completes once, and only for its member: with that member's instance secret or
 * the cluster owner's credentials (an admin's too); any other token or caller is refused with
 * 403, a token already completed or expired with 409. Tokens are kept by their SHA-256 only.
 */
final class Lifecycle {
    static final String KIND = "lifecycle-termination";
    /** In a waiting member's {@code pending}: when its queue first handed the notification out. */
    private static final String QUEUE_READ = "queueRead";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Lifecycle() {
    }

    /** What a begun hook is, for the webhook the caller posts after commit (null: no webhook). */
    record Begun(LifecycleNotification notification, String webhookUrl, String webhookSecret) {
    }

    /** Puts the member in WAITING_LIFECYCLE_COMPLETION and notifies it (queue, termination job). */
    static Begun begin(Connection c, ClusterRows.Cluster cl, MemberStages.Row m, DeletionPolicy policy, Changes changes)
            throws SQLException {
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        long now = System.currentTimeMillis();
        long deadline = now + policy.hookTimeout() * 1000L;
        LifecycleNotification n = new LifecycleNotification(token, cl.name(), cl.name() + "/" + m.shortName(),
                LifecycleNotification.TERMINATION, deadline);
        Sql.update(c, "INSERT INTO lifecycle_token (token_sha256, cluster_id, instance_id, member, state, created_at)"
                + " VALUES (?, ?, ?, ?, 'ISSUED', ?)", sha256(token), cl.id(), m.instanceId(), m.shortName(), now);
        MemberStages.setToken(c, m, token);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("token", token);
        args.put("member", n.member());
        args.put("transition", n.transition());
        args.put("deadline", deadline);
        String job = JobService.create(c, m.instanceId(), KIND, args, Duration.ofSeconds(Math.max(1, policy.hookTimeout())),
                changes);
        MemberStages.set(c, m, MemberStages.Stage.WAITING_LIFECYCLE_COMPLETION, job, deadline);
        ClusterEvents.append(c, cl.id(), now, "lifecycle", m.shortName() + " is WAITING_LIFECYCLE_COMPLETION (termination):"
                + " notified in its queue, to etc/lifecycle/termination" + (policy.webhookUrl() == null ? "" : " and the webhook")
                + "; removed at the latest in " + policy.hookTimeout() + " s (hook_timeout)",
                Map.of("member", m.shortName(), "deadline", deadline, "job", job));
        touch(c, m.instanceId(), changes); // the member's queue long-poll wakes
        return new Begun(n, policy.webhookUrl(), policy.webhookSecret());
    }

    /** The notifications waiting in an instance's queue (those of its member, while it waits). */
    static List<LifecycleNotification> queue(Connection c, String instanceId) throws SQLException {
        List<LifecycleNotification> out = new ArrayList<>();
        var row = MemberStages.byInstance(c, instanceId);
        if (row.isPresent() && row.get().stage() == MemberStages.Stage.WAITING_LIFECYCLE_COMPLETION && row.get().token() != null) {
            String cluster = Sql.one(c, "SELECT name FROM cluster WHERE id = ?", rs -> rs.getString(1), row.get().clusterId())
                    .orElse("");
            out.add(new LifecycleNotification(row.get().token(), cluster, cluster + "/" + row.get().shortName(),
                    LifecycleNotification.TERMINATION, row.get().deadline()));
        }
        return out;
    }

    /** A {@code lifecycle_token} row: whose it is and whether it is still ISSUED. */
    private record Issued(String clusterId, String instanceId, String member, String state) {
    }

    /**
     * Completes {@code token} for {@code caller} on cluster {@code clusterId} (already found for the
     * caller, or null when the caller is an instance). Returns the member now READY.
     */
    static MemberStages.Row complete(Connection c, Principal caller, String token, ClusterRows.Cluster named) throws SQLException {
        if (token == null || token.isBlank()) {
            throw ApiException.badRequest("complete_lifecycle.lifecycle_action_token is required");
        }
        Issued issued = Sql.one(c, "SELECT cluster_id, instance_id, member, state FROM lifecycle_token WHERE token_sha256 = ?",
                rs -> new Issued(rs.getString("cluster_id"), rs.getString("instance_id"), rs.getString("member"),
                        rs.getString("state")), sha256(token)).orElse(null);
        boolean allowed = issued != null && (named == null || named.id().equals(issued.clusterId()))
                && (caller.kind() == Principal.Kind.INSTANCE ? caller.subject().equals(issued.instanceId())
                : caller.isUser() && (caller.admin() || ownerOf(c, issued.clusterId()).equals(caller.subject())));
        if (!allowed) {
            throw ApiException.forbidden("this lifecycle token is not one of yours for this cluster");
        }
        if (!"ISSUED".equals(issued.state())) {
            throw ApiException.conflict("token_used", "lifecycle token of " + issued.member() + " was already "
                    + ("COMPLETED".equals(issued.state()) ? "completed" : "expired (hook_timeout reached)"));
        }
        MemberStages.Row m = MemberStages.byToken(c, token).orElseThrow(() -> ApiException.conflict("token_used",
                "member " + issued.member() + " is not waiting for its lifecycle hook any more"));
        Sql.update(c, "UPDATE lifecycle_token SET state = 'COMPLETED', ended_at = ? WHERE token_sha256 = ?",
                System.currentTimeMillis(), sha256(token));
        MemberStages.set(c, m, MemberStages.Stage.READY, null, 0);
        ClusterEvents.append(c, m.clusterId(), "lifecycle", m.shortName() + ": lifecycle hook completed by " + caller.actor()
                + " after " + (System.currentTimeMillis() - m.stageAt()) + " ms; removing it now",
                Map.of("member", m.shortName(), "by", caller.actor()));
        return m;
    }

    /**
     * Records that the member's queue handed its notification out (an application reads it, so
     * the master waits for its completion even when the member has no termination executable).
     */
    static void markRead(Connection c, String instanceId) throws SQLException {
        var row = MemberStages.byInstance(c, instanceId);
        if (row.isPresent() && row.get().stage() == MemberStages.Stage.WAITING_LIFECYCLE_COMPLETION
                && !row.get().pending().containsKey(QUEUE_READ)) {
            Map<String, Object> pending = new LinkedHashMap<>(row.get().pending());
            pending.put(QUEUE_READ, System.currentTimeMillis());
            MemberStages.setPending(c, row.get().clusterId(), row.get().role(), row.get().index(), pending);
        }
    }

    /**
     * Whether nothing can complete this member's hook: its node reported that it has no
     * {@code etc/lifecycle/termination} (the job ran nothing), the cluster has no webhook and
     * nobody read the member's queue. Waiting for hook_timeout then only delays the removal.
     */
    static boolean unheard(MemberStages.Row m, DeletionPolicy policy, org.slapgrid.slap.model.JobInfo job) {
        return policy.webhookUrl() == null && !m.pending().containsKey(QUEUE_READ) && job != null
                && job.state() == org.slapgrid.slap.model.JobState.DONE && job.result() != null
                && Boolean.FALSE.equals(job.result().get("ran"));
    }

    /** The master completes an unheard member's hook itself ({@link #unheard}), said in the events. */
    static void completeUnheard(Connection c, MemberStages.Row m, DeletionPolicy policy) throws SQLException {
        if (m.token() != null) {
            Sql.update(c, "UPDATE lifecycle_token SET state = 'COMPLETED', ended_at = ? WHERE token_sha256 = ? AND state = 'ISSUED'",
                    System.currentTimeMillis(), sha256(m.token()));
        }
        MemberStages.set(c, m, MemberStages.Stage.READY, null, 0);
        ClusterEvents.append(c, m.clusterId(), "lifecycle", m.shortName() + ": lifecycle hook completed by the master after "
                + (System.currentTimeMillis() - m.stageAt()) + " ms: the member has no etc/lifecycle/termination, the cluster"
                + " no webhook and nobody read its queue, so nothing would complete it; removing it now rather than at "
                + policy.hookTimeout() + " s (hook_timeout)", Map.of("member", m.shortName(), "by", "master", "unheard", true));
    }

    /** At hook_timeout: the token expires and the removal proceeds, said in the events. */
    static void expire(Connection c, MemberStages.Row m, DeletionPolicy policy, Changes changes) throws SQLException {
        if (m.token() != null) {
            Sql.update(c, "UPDATE lifecycle_token SET state = 'EXPIRED', ended_at = ? WHERE token_sha256 = ? AND state = 'ISSUED'",
                    System.currentTimeMillis(), sha256(m.token()));
        }
        if (m.job() != null) {
            JobService.cancel(c, m.job(), "hook_timeout reached", changes);
        }
        MemberStages.set(c, m, MemberStages.Stage.READY, null, 0);
        ClusterEvents.append(c, m.clusterId(), "lifecycle", m.shortName() + ": lifecycle hook not completed within "
                + policy.hookTimeout() + " s (hook_timeout); removing it anyway", Map.of("member", m.shortName(), "timedOut", true));
    }

    /** An issued token given up (its operation was stopped). */
    static void withdraw(Connection c, MemberStages.Row m) throws SQLException {
        if (m.token() != null) {
            Sql.update(c, "UPDATE lifecycle_token SET state = 'EXPIRED', ended_at = ? WHERE token_sha256 = ? AND state = 'ISSUED'",
                    System.currentTimeMillis(), sha256(m.token()));
        }
    }

    private static String ownerOf(Connection c, String clusterId) throws SQLException {
        return Sql.one(c, "SELECT owner FROM cluster WHERE id = ?", rs -> rs.getString(1), clusterId).orElse("");
    }

    /** The key of an instance's queue in the change notifier (its long-poll wakes on it). */
    static String queueKey(String instanceId) {
        return "lifecycle:" + instanceId;
    }

    private static void touch(Connection c, String instanceId, Changes changes) {
        changes.touch(queueKey(instanceId));
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
