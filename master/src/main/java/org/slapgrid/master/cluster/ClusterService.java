package org.slapgrid.master.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.ChangeListener;
import org.slapgrid.master.service.Changes;
import org.slapgrid.master.service.InstanceService;
import org.slapgrid.master.service.Schedule;
import org.slapgrid.master.service.ServiceActions;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.Ids;
import org.slapgrid.master.store.Sql;
import org.slapgrid.slap.model.ClusterGrow;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterPromote;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterShrink;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster operations and their rules (seed 001, docs/clusters.md). Each operation first
 * claims the cluster's task in one transaction (409 when another holds it), checks its rules
 * there (422 naming the rule), records what it wants (a role's wanted count, the members
 * leaving), then converges step by step, each step its own transaction, and sets the task back
 * to NONE. What it wants is in the store, so a master that starts with a task left set
 * ({@link #resumeInterrupted}) converges the rest or ends it cleanly.
 *
 * <p>Members are ordinary instances of the cluster's owner, requested through
 * {@link InstanceService} (quota, allocation and audit as for any instance) on the node
 * {@link Placement} chose.
 */
public final class ClusterService {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern ROLE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    /** Most roles and members per cluster (a bound, as every input of the master has one). */
    static final int MAX_ROLES = 16;
    static final int MAX_MEMBERS = 256;
    /** A primary whose node was not heard from for this long is not healthy. */
    static final long HEALTHY_CONTACT_MS = 5 * 60_000;
    /** The tasks that converge members to the stored wish, and so resume after a restart. */
    private static final Set<ClusterTask> CONVERGING = EnumSet.of(ClusterTask.BUILDING, ClusterTask.GROWING,
            ClusterTask.SHRINKING, ClusterTask.DELETING);
    /** The vertical actions, stepped by the scaling driver from the member's stored stage. */
    private static final Set<ClusterTask> DRIVEN = EnumSet.of(ClusterTask.RESIZING, ClusterTask.ATTACHING_DISK,
            ClusterTask.DETACHING_DISK);

    private final Database db;
    private final ChangeListener listener;
    private final InstanceService instances;
    private final ClusterEvents events;
    private final org.slapgrid.master.jobs.JobService jobs;
    private final ClusterOperations operations;

    /**
     * @param backups where cluster backups are kept (the master's data directory's {@code backups})
     */
    public ClusterService(Database db, ChangeListener listener, InstanceService instances,
                          org.slapgrid.master.jobs.JobService jobs, java.nio.file.Path backups) {
        this(db, listener, instances, jobs, backups, List.of());
    }

    /**
     * @param webhookAllow the internal address ranges lifecycle webhooks may reach anyway (the
     *                     master's {@code --webhook-allow}; docs/security.md "Webhooks")
     */
    public ClusterService(Database db, ChangeListener listener, InstanceService instances,
                          org.slapgrid.master.jobs.JobService jobs, java.nio.file.Path backups, List<Cidr> webhookAllow) {
        this.db = db;
        this.listener = listener;
        this.instances = instances;
        this.events = new ClusterEvents(db);
        this.jobs = jobs;
        this.operations = new ClusterOperations(db, listener, jobs, events, backups);
        jobs.addListener(job -> operations.advanceAll());
        this.scaling = new ScalingDriver(db, listener, this, webhookAllow);
        jobs.addListener(this::jobEnded);
    }

    private final ScalingDriver scaling;
    /** One convergence at a time per cluster in this master (a request's and the scaling driver's). */
    private final Map<String, Object> converging = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts stepping the members' hooked actions (scaling hooks, lifecycle hooks), every {@code tick}. */
    public void startScaling(Schedule schedule, java.time.Duration tick) {
        scaling.start(schedule, tick);
    }

    /** A partition job ended: a hook's result goes to the events, a waiting action moves on. */
    private void jobEnded(org.slapgrid.slap.model.JobInfo job) {
        if (ScalingHooks.KIND.equals(job.kind()) || Lifecycle.KIND.equals(job.kind())) {
            HookResults.record(db, job);
            scaling.wake();
        }
    }

    /**
     * Starts the task machine's tick: overdue jobs are failed and the operations waiting for
     * jobs move on (a job's end also moves them at once). No thread waits for a job.
     */
    public void startTicking(Schedule schedule, java.time.Duration every) {
        schedule.every("cluster tick", every, () -> {
            jobs.expireOverdue();
            operations.advanceAll();
        });
    }

    /** What is its own to stop (the webhooks' senders); the master's schedule stops the ticks. */
    public void close() {
        scaling.close();
    }


    // ------------------------------------------------------------------ reading

    /** The caller's clusters (every cluster for an admin); {@code detailed} adds every member. */
    public List<ClusterInfo> list(Principal caller, boolean detailed) {
        requireUser(caller);
        return db.read(c -> {
            List<ClusterInfo> out = new ArrayList<>();
            for (ClusterRows.Cluster cl : caller.admin() ? ClusterRows.where(c, "ORDER BY owner, name")
                    : ClusterRows.where(c, "WHERE owner = ? ORDER BY name", caller.subject())) {
                out.add(info(c, cl, detailed, List.of()));
            }
            return out;
        });
    }

    /** One cluster with every member (node, state, connection parameters). */
    public ClusterInfo show(Principal caller, String name) {
        requireUser(caller);
        return db.read(c -> info(c, find(c, caller, name), true, List.of()));
    }

    private static ClusterInfo info(Connection c, ClusterRows.Cluster cl, boolean detailed, List<String> notes) throws SQLException {
        List<ClusterRows.Member> members = ClusterRows.members(c, cl.id());
        List<ClusterRole> roles = new ArrayList<>();
        for (ClusterRows.Role r : ClusterRows.roles(c, cl.id())) {
            int count = (int) members.stream().filter(m -> !m.leaving() && m.role().equals(r.name())).count();
            roles.add(new ClusterRole(r.name(), r.softwareType(), r.parameters(), count, r.min(), r.max()));
        }
        boolean flex = cl.topology() == ClusterTopology.FLEX;
        return new ClusterInfo(cl.name(), cl.owner(), cl.softwareUrl(), cl.topology(), cl.primary(), cl.task(),
                cl.lastError(), roles, detailed ? ClusterMemberships.view(members) : null, notes,
                flex ? cl.flexMin() : null, flex ? cl.flexMax() : null, (int) (cl.primaryLostAfterMs() / 1000),
                Topologies.status(c, cl, members));
    }

    /** The caller's cluster; for an admin, else the only cluster of that name. Another user's is answered as missing. */
    static ClusterRows.Cluster find(Connection c, Principal caller, String name) throws SQLException {
        List<ClusterRows.Cluster> own = ClusterRows.where(c, "WHERE owner = ? AND name = ?", caller.subject(), name);
        if (!own.isEmpty()) {
            return own.get(0);
        }
        if (caller.admin()) {
            List<ClusterRows.Cluster> any = ClusterRows.where(c, "WHERE name = ?", name);
            if (any.size() == 1) {
                return any.get(0);
            }
            if (any.size() > 1) {
                throw ApiException.conflict("ambiguous_name", any.size() + " users have a cluster named '" + name + "'");
            }
        }
        throw ApiException.notFound("unknown_cluster", "you have no cluster '" + name + "'");
    }

    // ------------------------------------------------------------------ operations

    /** Creates the cluster and places every member; all or nothing: a member that cannot be placed undoes the rest (409). */
    public ClusterInfo create(Principal caller, ClusterRequest req) {
        requireUser(caller);
        if (req == null) {
            throw ApiException.badRequest("body is required");
        }
        String name = name("name", req.name());
        String url = text("softwareUrl", req.softwareUrl(), 2048);
        ClusterTopology topology = req.topology() == null ? ClusterTopology.FLEX : req.topology();
        List<ClusterRole> roles = checkRoles(req.roles());
        Topologies.Settings settings = Topologies.check(req, topology, roles);
        String id = Ids.next("c");
        try {
            insertCluster(caller, req, name, url, topology, roles, settings, id);
        } catch (org.slapgrid.master.store.StoreException e) {
            // Two creates of one name raced past the check: the loser's insert broke the unique
            // (owner, name) key. That is the same refusal as the check's, not a store failure.
            if (db.read(c -> !ClusterRows.where(c, "WHERE owner = ? AND name = ?", caller.subject(), name).isEmpty())) {
                throw ApiException.conflict("cluster_exists", "you already have a cluster '" + name + "'");
            }
            throw e;
        }
        Outcome o = converge(id);
        if (o.error() != null) {
            // A cluster short of its members is not what was asked for: take back what was placed.
            db.transaction(c -> {
                ClusterRows.setTask(c, id, ClusterTask.DELETING);
                return null;
            });
            converge(id);
            throw ApiException.conflict("cannot_place", "cluster '" + name + "' not created: " + o.error());
        }
        return db.read(c -> info(c, ClusterRows.byId(c, id).orElseThrow(), true, o.notes()));
    }

    private void insertCluster(Principal caller, ClusterRequest req, String name, String url, ClusterTopology topology,
                               List<ClusterRole> roles, Topologies.Settings settings, String id) {
        db.transaction(c -> {
            if (!ClusterRows.where(c, "WHERE owner = ? AND name = ?", caller.subject(), name).isEmpty()) {
                throw ApiException.conflict("cluster_exists", "you already have a cluster '" + name + "'");
            }
            Sql.update(c, "INSERT INTO cluster (id, owner, name, software_url, topology, parameters, task, task_at, created_at,"
                    + " flex_min, flex_max, primary_lost_after_ms, primary_member) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, caller.subject(), name, url, topology.json(),
                    ClusterRows.json(req.parameters()), ClusterTask.BUILDING.name(), System.currentTimeMillis(),
                    System.currentTimeMillis(), settings.flexMin(), settings.flexMax(), settings.primaryLostAfterMs(),
                    settings.flexPrimary());
            int position = 0;
            for (ClusterRole r : roles) {
                Sql.update(c, "INSERT INTO cluster_role (cluster_id, name, software_type, parameters, wanted, min_count,"
                        + " max_count, next_index, position) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)", id, r.name(), r.softwareType(),
                        ClusterRows.json(r.parameters()), r.count(), r.min(), r.max(), position++);
            }
            ClusterEvents.append(c, id, "create", "create started by " + caller.subject() + " (task BUILDING)",
                    Map.of("task", ClusterTask.BUILDING.name(), "by", caller.subject()));
            return null;
        });
    }

    /** {@code count} (default 1) more members of {@code role}; refused (422) above the role's maximum. */
    public ClusterInfo grow(Principal caller, String name, ClusterGrow req) {
        requireUser(caller);
        if (req == null || req.role() == null) {
            throw ApiException.badRequest("role is required");
        }
        int k = req.count() == null ? 1 : req.count();
        if (k < 1 || k > MAX_MEMBERS) {
            throw ApiException.badRequest("count must be 1-" + MAX_MEMBERS + " (got " + k + ")");
        }
        String id = begin(caller, name, "grow", ClusterTask.GROWING, (c, cl, members) -> {
            ClusterRows.Role role = role(c, cl, req.role());
            int active = active(members, role.name());
            Topologies.checkGrow(cl, (int) members.stream().filter(m -> !m.leaving()).count() + k);
            if (active + k > role.max()) {
                throw rule("grow would give role '" + role.name() + "' " + (active + k) + " members, over its maximum of "
                        + role.max() + " (max)");
            }
            Sql.update(c, "UPDATE cluster_role SET wanted = ? WHERE cluster_id = ? AND name = ?", active + k, cl.id(), role.name());
        });
        return finish(id);
    }

    /** Drops the named members (in parallel: their nodes destroy them at once); refused (422) under a role's minimum. */
    public ClusterInfo shrink(Principal caller, String name, ClusterShrink req) {
        requireUser(caller);
        if (req == null || ((req.members() == null || req.members().isEmpty()) && req.role() == null)) {
            throw ApiException.badRequest("members: name at least one member to drop (or a role and a count)");
        }
        String id = begin(caller, name, "shrink", ClusterTask.SHRINKING, (c, cl, members) -> {
            Map<String, ClusterRows.Member> drop = new LinkedHashMap<>();
            if (req.role() != null) {
                int k = req.count() == null ? 1 : req.count();
                if (k < 1 || k > MAX_MEMBERS) {
                    throw ApiException.badRequest("count must be 1-" + MAX_MEMBERS + " (got " + k + ")");
                }
                ClusterRows.Role role = role(c, cl, req.role());
                Map<String, Long> created = new java.util.HashMap<>();
                for (MemberStages.Row r : MemberStages.of(c, cl.id())) {
                    created.put(r.shortName(), r.createdAt());
                }
                List<ClusterRows.Member> eligible = members.stream().filter(x -> !x.shortName().equals(cl.primary())).toList();
                org.slapgrid.slap.model.DeletionPolicy.Criteria criteria = DeletionPolicies.of(c, cl.id()).criteria();
                List<String> chosen = new ArrayList<>();
                List<String> inError = new ArrayList<>();
                for (ClusterRows.Member m : DeletionPolicies.choose(eligible, created, criteria, role.name(), k,
                        DeletionPolicies.random())) {
                    drop.put(m.shortName(), m);
                    chosen.add(m.shortName());
                    if (DeletionPolicies.inError(m)) {
                        inError.add(m.shortName());
                    }
                }
                // said in the claiming transaction: rolled back with it when a rule refuses the shrink
                Map<String, Object> why = new LinkedHashMap<>();
                why.put("role", role.name());
                why.put("count", k);
                why.put("criteria", criteria.name());
                why.put("members", chosen);
                why.put("inError", inError);
                ClusterEvents.append(c, cl.id(), "shrink.chosen", "deletion policy (" + criteria + ", members in error first)"
                        + " chose " + (chosen.isEmpty() ? "no member" : String.join(", ", chosen)) + " of role '" + role.name()
                        + "'" + (inError.isEmpty() ? "" : " (in error: " + String.join(", ", inError) + ")"), why);
            }
            for (String m : req.members() == null ? List.<String>of() : req.members()) {
                String shortName = m != null && m.startsWith(cl.name() + "/") ? m.substring(cl.name().length() + 1) : m;
                ClusterRows.Member member = members.stream().filter(x -> !x.leaving() && x.shortName().equals(shortName))
                        .findFirst().orElseThrow(() -> ApiException.notFound("unknown_member",
                                "cluster '" + cl.name() + "' has no member '" + m + "'"));
                drop.put(member.shortName(), member);
            }
            for (ClusterRows.Role role : ClusterRows.roles(c, cl.id())) {
                int active = active(members, role.name());
                int left = active - (int) drop.values().stream().filter(m -> m.role().equals(role.name())).count();
                if (left < role.min()) {
                    throw rule("shrink would leave role '" + role.name() + "' with " + left + " member" + (left == 1 ? "" : "s")
                            + ", under its minimum of " + role.min() + " (min)");
                }
            }
            if (cl.primary() != null && drop.containsKey(cl.primary())) {
                throw rule("member '" + cl.primary() + "' is the primary; promote another member first (primary)");
            }
            for (ClusterRows.Member m : drop.values()) {
                Sql.update(c, "UPDATE cluster_member SET leaving = ? WHERE cluster_id = ? AND role = ? AND idx = ?",
                        true, cl.id(), m.role(), m.index());
                Sql.update(c, "UPDATE cluster_role SET wanted = wanted - 1 WHERE cluster_id = ? AND name = ?", cl.id(), m.role());
            }
        });
        return finish(id);
    }

    /** Resizes one member (memory, CPU): pre-scale, act, re-converge, post-scale; answers at once with task RESIZING. */
    public ClusterInfo resize(Principal caller, String name, org.slapgrid.slap.model.ClusterResize req) {
        requireUser(caller);
        if (req == null) {
            throw ApiException.badRequest("body is required");
        }
        return vertical(caller, name, ClusterTask.RESIZING, (c, cl, members, changes) -> VerticalActions.resize(c, cl, members, req, changes));
    }

    /** Gives one member a data disk at srv/disk/DISK (a loop-mounted image where the node can, else a directory). */
    public ClusterInfo attachDisk(Principal caller, String name, org.slapgrid.slap.model.ClusterDisk req) {
        requireUser(caller);
        if (req == null) {
            throw ApiException.badRequest("body is required");
        }
        return vertical(caller, name, ClusterTask.ATTACHING_DISK, (c, cl, members, changes) -> VerticalActions.attach(c, cl, members, req, changes));
    }

    /** Removes one member's data disk (after its pre-scale). */
    public ClusterInfo detachDisk(Principal caller, String name, org.slapgrid.slap.model.ClusterDisk req) {
        requireUser(caller);
        if (req == null) {
            throw ApiException.badRequest("body is required");
        }
        return vertical(caller, name, ClusterTask.DETACHING_DISK, (c, cl, members, changes) -> VerticalActions.detach(c, cl, members, req, changes));
    }

    @FunctionalInterface
    private interface VerticalWish {
        void apply(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members, Changes changes) throws SQLException;
    }

    private ClusterInfo vertical(Principal caller, String name, ClusterTask task, VerticalWish wish) {
        Changes changes = new Changes();
        String[] id = new String[1];
        String[] seen = new String[1];
        refusalsLogged(seen, operation(task), () -> {
            Changes.write(db, listener, c -> {
                id[0] = beginIn(c, caller, name, operation(task), task, (cc, cl, members) -> wish.apply(cc, cl, members, changes), seen);
                return changes;
            });
            return null;
        });
        return db.read(c -> info(c, ClusterRows.byId(c, id[0]).orElseThrow(), true, List.of()));
    }

    /** The cluster's deletion policy (without the webhook's secret). */
    public org.slapgrid.slap.model.DeletionPolicy deletionPolicy(Principal caller, String name) {
        requireUser(caller);
        return db.read(c -> DeletionPolicies.of(c, find(c, caller, name).id()).withoutSecret());
    }

    /** Sets the deletion policy; a new webhook's secret is in this answer only. */
    public org.slapgrid.slap.model.DeletionPolicy setDeletionPolicy(Principal caller, String name,
                                                                    org.slapgrid.slap.model.DeletionPolicy req) {
        requireUser(caller);
        if (req == null) {
            throw ApiException.badRequest("body is required");
        }
        return db.transaction(c -> DeletionPolicies.set(c, find(c, caller, name).id(), req));
    }

    /**
     * Senlin's {@code complete_lifecycle} action: with the member's instance secret or the
     * owner's credentials, once (403 for another's or an unknown token, 409 when used).
     */
    public void completeLifecycle(Principal caller, String name, org.slapgrid.slap.model.ClusterAction action) {
        if (action == null || action.completeLifecycle() == null) {
            throw ApiException.badRequest("the action body is {\"complete_lifecycle\": {\"lifecycle_action_token\": \"...\"}}");
        }
        if (caller.kind() == Principal.Kind.NODE) {
            throw ApiException.forbidden("this call needs a user's token or the member's instance secret");
        }
        db.transaction(c -> {
            ClusterRows.Cluster named = null;
            if (caller.isUser()) {
                List<ClusterRows.Cluster> own = ClusterRows.where(c, caller.admin() ? "WHERE name = ?" : "WHERE owner = ? AND name = ?",
                        caller.admin() ? new Object[] {name} : new Object[] {caller.subject(), name});
                if (own.size() != 1) {
                    throw ApiException.forbidden("this lifecycle token is not one of yours for this cluster");
                }
                named = own.get(0);
            } else {
                named = ClusterRows.byId(c, Sql.one(c, "SELECT cluster_id FROM lifecycle_token WHERE token_sha256 = ?",
                        rs -> rs.getString(1), Lifecycle.sha256(String.valueOf(action.completeLifecycle().lifecycleActionToken())))
                        .orElse("")).filter(cl -> cl.name().equals(name)).orElse(null);
                if (named == null) {
                    throw ApiException.forbidden("this lifecycle token is not one of yours for this cluster");
                }
            }
            Lifecycle.complete(c, caller, action.completeLifecycle().lifecycleActionToken(), named);
            return null;
        });
        scaling.wake();
    }

    /** The lifecycle notifications in the calling instance's queue (empty unless it is a member chosen for removal). */
    public List<org.slapgrid.slap.model.LifecycleNotification> lifecycleQueue(Principal caller) {
        if (caller.kind() != Principal.Kind.INSTANCE) {
            throw ApiException.forbidden("this call needs an instance's secret");
        }
        List<org.slapgrid.slap.model.LifecycleNotification> queued = db.read(c -> Lifecycle.queue(c, caller.subject()));
        if (!queued.isEmpty()) { // someone reads it: the master waits for its completion (Lifecycle.unheard)
            db.transaction(c -> {
                Lifecycle.markRead(c, caller.subject());
                return null;
            });
        }
        return queued;
    }

    /** The key the lifecycle queue's long-poll waits on. */
    public static String lifecycleQueueKey(String instanceId) {
        return Lifecycle.queueKey(instanceId);
    }

    /** Destroys every member and forgets the cluster; refused (409) while another operation runs. */
    public ClusterInfo destroy(Principal caller, String name) {
        requireUser(caller);
        ClusterInfo[] before = new ClusterInfo[1];
        String id = begin(caller, name, "destroy", ClusterTask.DELETING, (c, cl, members) -> before[0] = info(c, cl, true, List.of()));
        converge(id);
        ClusterInfo b = before[0];
        return new ClusterInfo(b.name(), b.owner(), b.softwareUrl(), b.topology(), b.primary(), ClusterTask.DELETING,
                null, b.roles(), b.members(), List.of("every member is being destroyed by its node"));
    }

    /**
     * Makes {@code member} the primary of a failover cluster: refused (422) for a topology without
     * one, and while the primary is healthy (its instance reported started, its node heard from
     * lately) unless {@code force}. Every member re-converges against the new primary.
     */
    public ClusterInfo promote(Principal caller, String name, ClusterPromote req) {
        requireUser(caller);
        if (req == null || req.member() == null) {
            throw ApiException.badRequest("member is required");
        }
        String id = begin(caller, name, "promote", ClusterTask.PROMOTING, (c, cl, members) -> {
            if (cl.topology() != ClusterTopology.FAILOVER) {
                throw rule("cluster '" + cl.name() + "' is " + cl.topology().json() + ": only a failover cluster has a primary to promote (topology)");
            }
            String shortName = req.member().startsWith(cl.name() + "/") ? req.member().substring(cl.name().length() + 1) : req.member();
            ClusterRows.Member target = members.stream().filter(m -> !m.leaving() && m.shortName().equals(shortName)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("unknown_member", "cluster '" + cl.name() + "' has no member '" + req.member() + "'"));
            Optional<ClusterRows.Member> primary = members.stream().filter(m -> !m.leaving() && m.shortName().equals(cl.primary())).findFirst();
            if (primary.isPresent() && !primary.get().shortName().equals(target.shortName()) && !req.force()) {
                String health = health(c, primary.get());
                if (health != null) {
                    throw rule("the primary '" + cl.primary() + "' is healthy (" + health + "); promote only when it is not,"
                            + " or with --force (healthy primary)");
                }
            }
            Sql.update(c, "UPDATE cluster SET primary_member = ? WHERE id = ?", target.shortName(), cl.id());
        });
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            ClusterMemberships.touchMembers(c, id, null, changes);
            ClusterRows.setTask(c, id, ClusterTask.NONE);
            ClusterEvents.append(c, id, "promote", "the primary is now " + ClusterRows.byId(c, id).orElseThrow().primary(),
                    Map.of("primary", String.valueOf(ClusterRows.byId(c, id).orElseThrow().primary())));
            return changes;
        });
        return db.read(c -> info(c, ClusterRows.byId(c, id).orElseThrow(), true, List.of()));
    }

    /**
     * Stops or starts, on every member (through each member's node), the services that
     * {@code action.tags()} selects: one rule per member's instance, in one transaction, so
     * either every member gets it or none (docs/tags.md). Not a task: it waits for nothing.
     */
    public ClusterInfo services(Principal caller, String name, org.slapgrid.slap.model.ServiceAction action) {
        requireUser(caller);
        if (action != null && "restart".equals(action.action())) {
            return restartTagged(caller, name, action.tags());
        }
        org.slapgrid.slap.tags.TagRule rule = ServiceActions.tagRule(action);
        String[] id = new String[1];
        Changes.write(db, listener, c -> {
            ClusterRows.Cluster cl = find(c, caller, name);
            id[0] = cl.id();
            Changes changes = new Changes();
            for (ClusterRows.Member m : ClusterRows.members(c, cl.id())) {
                if (!m.leaving()) {
                    var applied = ServiceActions.applyTagRule(c, caller, m.instanceId(), rule);
                    changes.touch(applied == null ? null : applied.node());
                }
            }
            return changes;
        });
        return db.read(c -> info(c, ClusterRows.byId(c, id[0]).orElseThrow(), true, List.of()));
    }

    /**
     * Restarts, once, on every member at the same time, the services {@code tags} selects: a
     * {@code restart} job per member with {@code tags} (each node restarts only those, never one
     * stopped on purpose). Without tags a cluster restart is the rolling restart of whole members.
     */
    private ClusterInfo restartTagged(Principal caller, String name, String tags) {
        String canonical = ServiceActions.tagExpression(tags);
        String[] id = new String[1];
        Changes.write(db, listener, c -> {
            ClusterRows.Cluster cl = find(c, caller, name);
            id[0] = cl.id();
            Changes changes = new Changes();
            List<String> restarted = new ArrayList<>();
            for (ClusterRows.Member m : ClusterRows.members(c, cl.id())) {
                if (!m.leaving() && m.partition() != null) {
                    ServiceActions.restartJob(c, m.instanceId(), canonical, changes);
                    restarted.add(m.shortName());
                }
            }
            ClusterEvents.append(c, cl.id(), "restart-tagged", "services tagged " + canonical + " restarted on "
                    + String.join(", ", restarted) + " by " + caller.subject(), Map.of("tags", canonical, "members", restarted));
            return changes;
        });
        return db.read(c -> info(c, ClusterRows.byId(c, id[0]).orElseThrow(), true, List.of()));
    }

    /**
     * Moves the primary (a failover cluster's active member, a flex cluster's primary) to
     * {@code member}: OpenSVC's {@code switch}, a planned move, so the current primary may be
     * healthy; refused (422) when the target is not up, since nothing would then be active.
     * Every member re-converges with the new primary; the switch is in the cluster's events.
     */
    public ClusterInfo switchPrimary(Principal caller, String name, org.slapgrid.slap.model.ClusterSwitch req) {
        requireUser(caller);
        if (req == null || req.member() == null) {
            throw ApiException.badRequest("member is required");
        }
        String[] from = new String[1];
        String id = begin(caller, name, "switch", ClusterTask.PROMOTING, (c, cl, members) -> {
            String shortName = req.member().startsWith(cl.name() + "/") ? req.member().substring(cl.name().length() + 1) : req.member();
            ClusterRows.Member target = members.stream().filter(m -> !m.leaving() && m.shortName().equals(shortName)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("unknown_member", "cluster '" + cl.name() + "' has no member '" + req.member() + "'"));
            if (!Topologies.up(c, cl, target)) {
                throw rule("member '" + target.shortName() + "' is not up (reported " + target.reportedState() + ", node "
                        + target.node() + "); switch to a member that runs (member up)");
            }
            from[0] = cl.primary();
            Sql.update(c, "UPDATE cluster SET primary_member = ? WHERE id = ?", target.shortName(), cl.id());
        });
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            ClusterMemberships.touchMembers(c, id, null, changes);
            ClusterRows.Cluster cl = ClusterRows.byId(c, id).orElseThrow();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("from", from[0]);
            details.put("to", cl.primary());
            details.put("by", caller.actor());
            ClusterEvents.append(c, id, "switch", "primary switched from " + from[0] + " to " + cl.primary() + " by " + caller.actor(), details);
            ClusterRows.setTask(c, id, ClusterTask.NONE);
            return changes;
        });
        return db.read(c -> info(c, ClusterRows.byId(c, id).orElseThrow(), true, List.of()));
    }

    // ------------------------------------------------------------------ operations that wait for jobs

    /**
     * Starts a backup (seed 001): the cluster is BACKING_UP, each member's node runs its
     * {@code etc/backup}; when all parts are in, ONE backup entry is recorded and the task is
     * NONE again. A failing member fails the backup, naming it, and nothing is recorded.
     */
    public ClusterInfo backup(Principal caller, String name) {
        requireUser(caller);
        Changes changes = new Changes();
        String[] backupId = new String[1];
        String id = begin(caller, name, "backup", ClusterTask.BACKING_UP,
                (c, cl, members) -> backupId[0] = ClusterOperations.startBackup(c, cl, members, changes));
        Changes.write(db, listener, c -> changes); // the members' nodes wake for their jobs
        return db.read(c -> info(c, ClusterRows.byId(c, id).orElseThrow(), true,
                List.of("backup " + backupId[0] + " is running: `slapos cluster backups " + name + "` lists it once every part is in")));
    }

    /**
     * A rolling restart: refused (409) while the cluster or a member is busy, (422) while a
     * member is in error; then one member at a time, each until its promises are kept again.
     */
    public ClusterInfo restart(Principal caller, String name) {
        requireUser(caller);
        Changes changes = new Changes();
        String id = begin(caller, name, "restart", ClusterTask.RESTARTING,
                (c, cl, members) -> ClusterOperations.startRestart(c, cl, members, changes));
        Changes.write(db, listener, c -> changes);
        return db.read(c -> info(c, ClusterRows.byId(c, id).orElseThrow(), true,
                List.of("restarting one member at a time; `slapos cluster events " + name + "` follows it")));
    }

    /** The backups of the caller's cluster {@code name} (it may be gone since), newest first. */
    public List<org.slapgrid.slap.model.ClusterBackup> backups(Principal caller, String name) {
        requireUser(caller);
        return db.read(c -> ClusterOperations.backups(c, caller.admin() ? "WHERE cluster_name = ? ORDER BY id DESC"
                : "WHERE owner = ? AND cluster_name = ? ORDER BY id DESC", caller.admin() ? new Object[] {name}
                : new Object[] {caller.subject(), name}));
    }

    /** One backup of the caller's (any, for an admin); another user's is answered as missing. */
    public org.slapgrid.slap.model.ClusterBackup backupInfo(Principal caller, String backupId) {
        requireUser(caller);
        return db.read(c -> ownBackup(c, caller, backupId));
    }

    private static org.slapgrid.slap.model.ClusterBackup ownBackup(Connection c, Principal caller, String backupId) throws SQLException {
        return ClusterOperations.backups(c, "WHERE id = ?", backupId).stream()
                .filter(b -> caller.admin() || b.owner().equals(caller.subject())).findFirst()
                .orElseThrow(() -> ApiException.notFound("unknown_backup", "you have no backup '" + backupId + "'"));
    }

    /** Forgets a backup and removes its parts. */
    public void deleteBackup(Principal caller, String backupId) {
        requireUser(caller);
        org.slapgrid.slap.model.ClusterBackup b = db.transaction(c -> {
            org.slapgrid.slap.model.ClusterBackup found = ownBackup(c, caller, backupId);
            ClusterOperations.deleteBackupRows(c, backupId);
            return found;
        });
        operations.deleteParts(b.id());
    }

    /**
     * Restores a backup into a new cluster {@code req.name}: only of the backup's size and roles
     * (422 naming the difference); its members are placed as by create, then each runs
     * {@code etc/restore} with its part (task RESTORING until all did).
     */
    public ClusterInfo restore(Principal caller, String backupId, org.slapgrid.slap.model.ClusterRestore req) {
        requireUser(caller);
        if (req == null || req.name() == null) {
            throw ApiException.badRequest("name: the new cluster's name is required (--name NEW)");
        }
        org.slapgrid.slap.model.ClusterBackup b = backupInfo(caller, backupId);
        List<ClusterRole> roles = b.roles();
        if (req.roles() != null && !req.roles().isEmpty()) {
            String difference = sameSize(b, req.roles());
            if (difference != null) {
                throw rule("cannot restore backup " + b.id() + " into a cluster of another size: " + difference
                        + " (same size as the backup)");
            }
            roles = req.roles().stream().map(r -> {
                ClusterRole ours = b.roles().stream().filter(x -> x.name().equals(r.name())).findFirst().orElseThrow();
                return new ClusterRole(r.name(), r.softwareType() == null ? ours.softwareType() : r.softwareType(),
                        r.parameters() == null ? ours.parameters() : r.parameters(), r.count(), r.min() == null ? ours.min() : r.min(),
                        r.max() == null ? ours.max() : r.max());
            }).toList();
        }
        ClusterInfo created = create(caller, new ClusterRequest(req.name(), b.softwareUrl(), b.topology(), b.parameters(), roles));
        String id = db.read(c -> ClusterRows.where(c, "WHERE owner = ? AND name = ?", created.owner(), created.name()))
                .get(0).id();
        operations.startRestore(id, b);
        return db.read(c -> info(c, ClusterRows.byId(c, id).orElseThrow(), true,
                List.of("restoring backup " + b.id() + ": each member runs etc/restore with its part")));
    }

    /** Null when {@code roles} has the backup's roles with the backup's sizes, else the first difference. */
    static String sameSize(org.slapgrid.slap.model.ClusterBackup b, List<ClusterRole> roles) {
        for (ClusterRole r : b.roles()) {
            ClusterRole asked = roles.stream().filter(x -> r.name().equals(x.name())).findFirst().orElse(null);
            if (asked == null) {
                return "the backup has role '" + r.name() + "' (" + r.count() + " members), the new cluster has none";
            }
            int count = asked.count() == null ? 1 : asked.count();
            if (count != r.count()) {
                return "the backup has " + r.count() + " members of role '" + r.name() + "', the new cluster would have " + count;
            }
        }
        for (ClusterRole r : roles) {
            if (b.roles().stream().noneMatch(x -> x.name().equals(r.name()))) {
                return "the new cluster has role '" + r.name() + "', the backup has none";
            }
        }
        return null;
    }

    /**
     * The cluster's status tree (docs/clusters.md, "Status"): each member's services and
     * promises as its node last reported them, aggregated with OpenSVC's rules; a flex cluster
     * with a role under its minimum of members up is degraded to warn.
     */
    public org.slapgrid.slap.model.ClusterStatus status(Principal caller, String name) {
        requireUser(caller);
        ClusterRows.Cluster cl = db.read(c -> find(c, caller, name));
        List<ClusterRows.Member> members = db.read(c -> ClusterRows.members(c, cl.id()));
        List<ClusterRows.Role> roles = db.read(c -> ClusterRows.roles(c, cl.id()));
        Principal owner = Principal.user(cl.owner(), false);
        List<org.slapgrid.slap.model.ClusterStatus.Member> out = new ArrayList<>();
        for (ClusterRows.Member m : members) {
            if (m.leaving() || m.instanceName() == null) {
                continue;
            }
            org.slapgrid.slap.model.PartitionStatus reported;
            try {
                reported = instances.status(owner, m.instanceName());
            } catch (ApiException e) {
                reported = null; // not reported yet: undef
            }
            out.add(StatusTree.member(m.shortName(), m.role(), m.node(), reported));
        }
        List<String> notes = new ArrayList<>();
        String avail = StatusTree.mergeAll(out.stream().map(org.slapgrid.slap.model.ClusterStatus.Member::avail).toList(),
                StatusTree.NA);
        if (cl.topology() == ClusterTopology.FLEX) {
            for (ClusterRows.Role r : roles) {
                long up = out.stream().filter(m -> m.role().equals(r.name()) && m.avail().equals(StatusTree.UP)).count();
                if (up < r.min()) {
                    notes.add("role " + r.name() + ": " + up + " member" + (up == 1 ? "" : "s") + " up, under its minimum of "
                            + r.min() + ": degraded to warn (flex min)");
                    if (avail.equals(StatusTree.UP) || avail.equals(StatusTree.NA) || avail.equals(StatusTree.UNDEF)) {
                        avail = StatusTree.WARN;
                    }
                }
            }
        }
        String accessory = StatusTree.mergeAll(out.stream().map(org.slapgrid.slap.model.ClusterStatus.Member::accessory).toList(),
                StatusTree.NA);
        return new org.slapgrid.slap.model.ClusterStatus(cl.name(), cl.topology().json(), StatusTree.merge(avail, accessory),
                avail, accessory, notes, out);
    }

    /** Why the member counts as healthy (null when it does not): reported started, its node heard from lately. */
    private static String health(Connection c, ClusterRows.Member m) throws SQLException {
        if (m.node() == null || !InstanceState.STARTED.json().equals(m.reportedState())) {
            return null;
        }
        Long last = Sql.one(c, "SELECT last_contact FROM node WHERE id = ?", rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }, m.node()).orElse(null);
        long ago = last == null ? Long.MAX_VALUE : System.currentTimeMillis() - last;
        return ago > HEALTHY_CONTACT_MS ? null : "started, node " + m.node() + " heard from " + (ago / 1000) + " s ago";
    }

    /** At start-up: every cluster whose task a stopped master left set is converged (or ended) now. */
    public int resumeInterrupted() {
        List<ClusterRows.Cluster> busy = db.read(c -> ClusterRows.where(c, "WHERE task <> ?", ClusterTask.NONE.name()));
        for (ClusterRows.Cluster cl : busy) {
            LOG.info("cluster {}/{}: task {} was left set by a stopped master", cl.owner(), cl.name(), cl.task());
            if (DRIVEN.contains(cl.task())) {
                continue; // its member's stage is stored: the scaling driver goes on with it
            }
            if (CONVERGING.contains(cl.task())) {
                converge(cl.id());
            } else if (db.read(c -> ClusterOperations.waiting(c, cl.id())).isPresent()) {
                LOG.info("cluster {}/{}: {} waits for its jobs; it goes on as they end", cl.owner(), cl.name(), cl.task());
                operations.advanceAll();
            } else {
                db.transaction(c -> Sql.update(c, "UPDATE cluster SET task = ?, last_error = ? WHERE id = ?", ClusterTask.NONE.name(),
                        cl.task() + " was interrupted by a master restart; run it again", cl.id()));
            }
        }
        return busy.size();
    }

    // ------------------------------------------------------------------ converging

    /** The rule checks and wish of an operation, run in the transaction that claims the task. */
    @FunctionalInterface
    private interface Wish {
        void apply(Connection c, ClusterRows.Cluster cl, List<ClusterRows.Member> members) throws SQLException;
    }

    /**
     * Claims {@code task} on the caller's cluster (409 if busy), applies the wish; returns the
     * cluster's id. The start, or the refusal (409/422, with the rule's message), goes to the
     * cluster's event log as {@code operation}.
     */
    private String begin(Principal caller, String name, String operation, ClusterTask task, Wish wish) {
        String[] seen = new String[1];
        return refusalsLogged(seen, operation, () -> db.transaction(c -> beginIn(c, caller, name, operation, task, wish, seen)));
    }

    /**
     * Runs {@code claim}; a refusal (409/422, with the rule's message) goes to the event log of the
     * cluster {@code seen} names, in its own transaction once the refused one was rolled back.
     */
    private <T> T refusalsLogged(String[] seen, String operation, java.util.function.Supplier<T> claim) {
        try {
            return claim.get();
        } catch (ApiException e) {
            if (seen[0] != null && (e.status() == 409 || e.status() == 422)) {
                refused(seen[0], operation, e);
            }
            throw e;
        }
    }

    /** {@link #begin} in the caller's transaction; {@code seen} gets the cluster's id for the refusal's log. */
    private String beginIn(Connection c, Principal caller, String name, String operation, ClusterTask task, Wish wish,
                           String[] seen) throws SQLException {
        ClusterRows.Cluster cl = find(c, caller, name);
        seen[0] = cl.id();
        if (cl.task() != ClusterTask.NONE || !ClusterRows.claim(c, cl.id(), task)) {
            throw ApiException.conflict("cluster_busy", "cluster '" + cl.name() + "' is busy (task " + cl.task()
                    + "); try again once its task is NONE");
        }
        wish.apply(c, cl, ClusterRows.members(c, cl.id()));
        ClusterEvents.append(c, cl.id(), operation, operation + " started by " + caller.subject() + " (task " + task + ")",
                Map.of("task", task.name(), "by", caller.subject()));
        return cl.id();
    }

    private static String operation(ClusterTask task) {
        return switch (task) {
            case RESIZING -> "resize";
            case ATTACHING_DISK -> "disk-attach";
            case DETACHING_DISK -> "disk-detach";
            default -> task.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The scaling driver: leaving members moved on (a hook ended, a token completed, a timeout passed). */
    void continueRemoval(String id) {
        ClusterTask task = db.read(c -> ClusterRows.byId(c, id).map(ClusterRows.Cluster::task).orElse(ClusterTask.NONE));
        if (task == ClusterTask.SHRINKING || task == ClusterTask.DELETING) {
            converge(id);
        }
    }

    /** Logs a refused operation (its own transaction: the refused one was rolled back). */
    private void refused(String clusterId, String operation, ApiException e) {
        try {
            events.append(clusterId, "refused", operation + " refused (" + e.status() + "): " + e.getMessage(),
                    Map.of("operation", operation, "status", e.status(), "code", e.code()));
        } catch (RuntimeException logFailure) {
            LOG.warn("cannot log the refusal of {} on cluster {}: {}", operation, clusterId, logFailure.toString());
        }
    }

    /** The cluster's event log, oldest first (docs/clusters.md, "Events"). */
    public List<org.slapgrid.slap.model.ClusterEvent> events(Principal caller, String name) {
        requireUser(caller);
        return db.read(c -> ClusterEvents.list(c, find(c, caller, name).id()));
    }

    /** The one way for other parts of the master to add to a cluster's log (hooks, autoscaling...). */
    public ClusterEvents eventLog() {
        return events;
    }

    private ClusterInfo finish(String id) {
        Outcome o = converge(id);
        if (o.error() != null) {
            throw ApiException.conflict("cannot_place", o.error());
        }
        return db.read(c -> info(c, ClusterRows.byId(c, id).orElseThrow(), true, o.notes()));
    }

    /** What a convergence did: notes (shared nodes) and why it ended short (null if it did not). */
    private record Outcome(List<String> notes, String error) {
    }

    private Outcome converge(String id) {
        Object lock = converging.computeIfAbsent(id, k -> new Object());
        synchronized (lock) {
            return convergeNow(id);
        }
    }

    /**
     * Converges the cluster to what is stored: drops the leaving members, places the missing ones,
     * then sets the task to NONE (recording why it ended short). Each step is its own transaction
     * and can be repeated: a member's name comes from its role's next index, and requesting an
     * instance again by name finds the one a stopped master already created.
     */
    private Outcome convergeNow(String id) {
        ClusterRows.Cluster cl = db.read(c -> ClusterRows.byId(c, id)).orElse(null);
        if (cl == null) {
            return new Outcome(List.of(), null);
        }
        Principal owner = Principal.user(cl.owner(), false);
        if (cl.task() == ClusterTask.DELETING) {
            db.transaction(c -> Sql.update(c, "UPDATE cluster_member SET leaving = ? WHERE cluster_id = ?", true, id));
        }
        // Leaving members go through their hooks first (pre-scale, lifecycle: ScalingDriver);
        // only those READY are destroyed, and the others are told (on-remove).
        List<ClusterRows.Member> droppable = Removals.droppable(db, listener, cl);
        if (droppable == null) {
            return new Outcome(List.of(), null); // pre-scale hooks under way: the driver converges again
        }
        Map<String, List<String>> removed = new LinkedHashMap<>();
        for (ClusterRows.Member m : droppable) {
            drop(cl, owner, m);
            removed.computeIfAbsent(m.role(), k -> new ArrayList<>()).add(m.shortName());
        }
        if (cl.task() != ClusterTask.DELETING && !removed.isEmpty()) {
            Changes.write(db, listener, c -> {
                Changes changes = new Changes();
                for (Map.Entry<String, List<String>> e : removed.entrySet()) {
                    int told = ScalingHooks.tellOthers(c, id, ScalingHooks.ON_REMOVE, e.getKey(), e.getValue(), changes);
                    ClusterEvents.append(c, id, "hook", "on-remove of " + String.join(" ", e.getValue()) + " asked on " + told
                            + " other member" + (told == 1 ? "" : "s"), Map.of("role", e.getKey(), "members", e.getValue()));
                }
                return changes;
            });
        }
        if (db.read(c -> ClusterRows.members(c, id)).stream().anyMatch(ClusterRows.Member::leaving)) {
            return new Outcome(List.of(), null); // some still wait for their lifecycle hook
        }
        if (cl.task() == ClusterTask.DELETING) {
            db.transaction(c -> {
                ClusterRows.delete(c, id);
                return null;
            });
            return new Outcome(List.of(), null);
        }
        List<String> notes = new ArrayList<>();
        String error = null;
        Map<String, List<String>> added = new LinkedHashMap<>();
        roles:
        for (ClusterRows.Role role : db.read(c -> ClusterRows.roles(c, id))) {
            while (true) {
                int active = db.read(c -> active(ClusterRows.members(c, id), role.name()));
                if (active >= role.wanted()) {
                    break;
                }
                try {
                    int next = db.read(c -> ClusterRows.roles(c, id)).stream().filter(r -> r.name().equals(role.name()))
                            .findFirst().orElseThrow().nextIndex();
                    added.computeIfAbsent(role.name(), k -> new ArrayList<>()).add(role.name() + "." + next);
                    place(id, owner, role.name()).ifPresent(notes::add);
                } catch (ApiException e) {
                    error = e.getMessage();
                    int placed = active;
                    db.transaction(c -> Sql.update(c, "UPDATE cluster_role SET wanted = ? WHERE cluster_id = ? AND name = ?",
                            placed, id, role.name()));
                    break roles;
                }
            }
        }
        if (cl.task() == ClusterTask.GROWING) {
            // every other existing member learns of the new ones (seed 000's OnVmAdd)
            Changes.write(db, listener, c -> {
                Changes changes = new Changes();
                List<String> placed = ClusterRows.members(c, id).stream().map(ClusterRows.Member::shortName).toList();
                for (Map.Entry<String, List<String>> e : added.entrySet()) {
                    List<String> names = e.getValue().stream().filter(placed::contains).toList();
                    if (!names.isEmpty()) {
                        int told = ScalingHooks.tellOthers(c, id, ScalingHooks.ON_ADD, e.getKey(), names, changes);
                        ClusterEvents.append(c, id, "hook", "on-add of " + String.join(" ", names) + " asked on " + told
                                + " other member" + (told == 1 ? "" : "s"), Map.of("role", e.getKey(), "members", names));
                    }
                }
                return changes;
            });
        }
        String why = error;
        db.transaction(c -> {
            Sql.update(c, "UPDATE cluster SET task = ?, last_error = ? WHERE id = ?", ClusterTask.NONE.name(), why, id);
            ClusterEvents.append(c, id, why == null ? "converged" : "failed", cl.task() + (why == null ? " done" : " ended short: " + why),
                    why == null ? Map.of("task", cl.task().name()) : Map.of("task", cl.task().name(), "error", why));
            return null;
        });
        return new Outcome(notes, error);
    }

    /** Places one member of {@code roleName}: chooses its node, supplies the release, requests its instance. */
    private Optional<String> place(String id, Principal owner, String roleName) {
        ClusterRows.Cluster cl = db.read(c -> ClusterRows.byId(c, id)).orElseThrow();
        ClusterRows.Role role = db.read(c -> ClusterRows.roles(c, id)).stream().filter(r -> r.name().equals(roleName))
                .findFirst().orElseThrow();
        String shortName = role.name() + "." + role.nextIndex();
        String instanceName = cl.name() + "/" + shortName;
        Placement.Choice[] choice = new Placement.Choice[1];
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            choice[0] = Placement.choose(c, cl, role.name(), shortName);
            Placement.supply(c, cl, choice[0].node(), changes);
            return changes;
        });
        Map<String, Object> params = new LinkedHashMap<>(cl.parameters());
        params.putAll(role.parameters());
        String instanceId = instances.request(owner, new InstanceRequest(instanceName, cl.softwareUrl(), role.softwareType(),
                params, RequestedState.STARTED, false, Map.of("node", choice[0].node()))).instance().id();
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            Sql.update(c, "INSERT INTO cluster_member (cluster_id, role, idx, instance_id, leaving, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    id, role.name(), role.nextIndex(), instanceId, false, System.currentTimeMillis());
            Sql.update(c, "UPDATE cluster_role SET next_index = ? WHERE cluster_id = ? AND name = ?",
                    role.nextIndex() + 1, id, role.name());
            if (cl.primary() == null) { // failover's active member, flex's primary: the first placed
                Sql.update(c, "UPDATE cluster SET primary_member = ? WHERE id = ?", shortName, id);
                ClusterMemberships.touchMembers(c, id, null, changes); // every member learns the primary
            } else {
                ClusterMemberships.touchMembers(c, id, instanceId, changes);
            }
            return changes;
        });
        return Optional.ofNullable(choice[0].note());
    }

    /** Destroys a leaving member's instance (already gone is fine) and tells the others. */
    private void drop(ClusterRows.Cluster cl, Principal owner, ClusterRows.Member m) {
        if (m.instanceName() != null && !RequestedState.DESTROYED.json().equals(m.requestedState())) {
            try {
                instances.removeMember(owner, m.instanceName());
            } catch (ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
        }
        Changes.write(db, listener, c -> {
            Changes changes = new Changes();
            Sql.update(c, "DELETE FROM cluster_member WHERE cluster_id = ? AND role = ? AND idx = ?", cl.id(), m.role(), m.index());
            ClusterMemberships.touchMembers(c, cl.id(), null, changes);
            return changes;
        });
    }

    // ------------------------------------------------------------------ checks

    private static int active(List<ClusterRows.Member> members, String role) {
        return (int) members.stream().filter(m -> !m.leaving() && m.role().equals(role)).count();
    }

    private static ClusterRows.Role role(Connection c, ClusterRows.Cluster cl, String name) throws SQLException {
        return ClusterRows.roles(c, cl.id()).stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("unknown_role", "cluster '" + cl.name() + "' has no role '" + name + "'"));
    }

    private static List<ClusterRole> checkRoles(List<ClusterRole> roles) {
        if (roles == null || roles.isEmpty()) {
            throw ApiException.badRequest("roles: a cluster needs at least one role (--role NAME:count=N)");
        }
        if (roles.size() > MAX_ROLES) {
            throw rule("a cluster has at most " + MAX_ROLES + " roles (got " + roles.size() + ")");
        }
        List<ClusterRole> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        int total = 0;
        for (ClusterRole r : roles) {
            if (r == null || r.name() == null || !ROLE.matcher(r.name()).matches()) {
                throw ApiException.badRequest("roles[].name must be 1-32 lower-case letters, digits, '_' or '-' (got "
                        + (r == null || r.name() == null ? "nothing" : "'" + r.name() + "'") + ")");
            }
            if (!names.add(r.name())) {
                throw ApiException.badRequest("roles: role '" + r.name() + "' is given twice");
            }
            int count = r.count() == null ? 1 : r.count();
            int min = r.min() == null ? Math.min(1, count) : r.min();
            int max = r.max() == null ? Math.max(count, 1) : r.max();
            if (min < 0 || count < min || max < count || max > MAX_MEMBERS) {
                throw rule("role '" + r.name() + "': wants 0 <= min <= count <= max <= " + MAX_MEMBERS + " (got min=" + min
                        + ", count=" + count + ", max=" + max + ")");
            }
            total += max;
            String type = r.softwareType() == null ? "default" : text("roles[].softwareType", r.softwareType(), 255);
            out.add(new ClusterRole(r.name(), type, r.parameters() == null ? Map.of() : r.parameters(), count, min, max));
        }
        if (total > MAX_MEMBERS) {
            throw rule("the roles' maxima add up to " + total + " members; a cluster has at most " + MAX_MEMBERS);
        }
        return out;
    }

    private static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw ApiException.badRequest(field + " must be 1-64 letters, digits, '_' or '-' (got "
                    + (value == null ? "nothing" : "'" + value + "'") + ")");
        }
        return value;
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(field + " is required");
        }
        if (value.length() > max || value.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiException.badRequest(field + " must be at most " + max + " characters, without control characters");
        }
        return value;
    }

    private static ApiException rule(String message) {
        return new ApiException(422, "cluster_rule", message);
    }

    private static void requireUser(Principal caller) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("this call needs a user's API token");
        }
    }
}
