package org.slapgrid.master.autoscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.cluster.ClusterLookup;
import org.slapgrid.master.cluster.ClusterService;
import org.slapgrid.master.metrics.MetricService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.service.Schedule;
import org.slapgrid.master.store.Database;
import org.slapgrid.slap.model.ClusterGrow;
import org.slapgrid.slap.model.ClusterShrink;
import org.slapgrid.slap.model.ClusterTask;
import org.slapgrid.slap.model.ScalingPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's one autoscaling scheduler: every {@code interval} it evaluates every enabled
 * policy ({@link Evaluation}) against the members' last samples ({@link MetricService}) and acts
 * through the cluster operations everyone uses: scale-out is {@link ClusterService#grow} (the
 * same rules, placement and hooks as {@code slapos cluster grow}), scale-in is
 * {@link ClusterService#shrink} of a role and a count, so the cluster's deletion policy chooses
 * the members (in error first, then its criteria; never the primary) as for
 * {@code slapos cluster shrink --role R --count K}, and the shrink's events name them. Each action and
 * each change of what it would say otherwise (held below its duration, in cooldown, at max or
 * min, no data, back within the thresholds) is appended to the cluster's events with its reason
 * (value, threshold, how long held, duration) once, not at every evaluation.
 *
 * <p>An evaluation is a few reads per policy and no write unless it acts: cheap enough to run
 * every few seconds. The breach times are in memory (a master restart starts them again); the
 * time of the last action is in the store, so the cooldown holds across restarts and masters.
 * With several masters on one PostgreSQL only one evaluates ({@link Leadership}, an advisory
 * lock), reading the samples every master received ({@link MetricService#last}).
 */
public final class Autoscaler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);
    /** A member's sample older than this does not count (its node stopped sending). */
    static final Duration FRESH = Duration.ofMinutes(3);
    /** How often the series of destroyed instances are dropped. */
    static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    /** The kinds worth saying when nothing is done (WITHIN only when a breach ends without action). */
    private static final Set<Evaluation.Kind> BREACHES = EnumSet.of(Evaluation.Kind.HELD, Evaluation.Kind.COOLDOWN,
            Evaluation.Kind.AT_MAX, Evaluation.Kind.AT_MIN, Evaluation.Kind.BUSY);

    /**
     * Where decisions go: the cluster's events (one append method, owned by the cluster events),
     * each dated at its evaluation's instant, the one a cooldown counts from; a refused grow or
     * shrink is dated when it was refused (it tells what the operation did, not a decision).
     */
    @FunctionalInterface
    public interface DecisionLog {
        void append(String clusterId, long at, String kind, String message, Map<String, Object> details);
    }

    private record State(Evaluation.Breach breach, Evaluation.Kind said) {
    }

    private final Database db;
    private final MetricService metrics;
    private final ClusterService clusters;
    private final DecisionLog log;
    private final Duration interval;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private volatile long lastPrune;
    private final Leadership leadership;

    public Autoscaler(Database db, MetricService metrics, ClusterService clusters, DecisionLog log, Duration interval) {
        this.db = db;
        this.metrics = metrics;
        this.clusters = clusters;
        this.log = log;
        this.interval = interval;
        this.leadership = new Leadership(db);
    }

    /** Evaluates every {@code interval} as a duty of the master's schedule (which stops it). */
    public Autoscaler start(Schedule schedule) {
        schedule.every("autoscaler evaluation", interval, () -> tick(System.currentTimeMillis()));
        return this;
    }

    /** Whether this master evaluated the policies at its last tick (one master of those on one PostgreSQL). */
    public boolean evaluates() {
        return leadership.leading();
    }

    public Duration interval() {
        return interval;
    }

    /** One evaluation of every policy (and, now and then, the pruning of gone instances' series). */
    void tick(long now) {
        if (now - lastPrune >= PRUNE_EVERY.toMillis()) {
            metrics.prune();
            lastPrune = now;
        }
        if (!leadership.lead()) {
            states.clear(); // another master evaluates; should it stop, breaches start again here
            return;
        }
        for (PolicyRows.Row r : db.read(PolicyRows::all)) {
            if (r.policy().enabled()) {
                try {
                    evaluate(r, now);
                } catch (RuntimeException e) {
                    LOG.warn("autoscaler: policy of role {} of cluster {} failed: {}", r.policy().role(), r.clusterId(), e.toString());
                }
            }
        }
    }

    /** A policy changed or went: its breach starts again. */
    void forget(String clusterId, String role) {
        states.remove(clusterId + "/" + role);
    }

    private record Snapshot(ClusterLookup.Ref cluster, ClusterLookup.RoleBounds role, List<ClusterLookup.MemberRef> members) {
    }

    private void evaluate(PolicyRows.Row r, long now) {
        ScalingPolicy p = r.policy();
        Snapshot s = db.read(c -> {
            ClusterLookup.Ref cl = ClusterLookup.byId(c, r.clusterId());
            if (cl == null) {
                return null;
            }
            ClusterLookup.RoleBounds role = ClusterLookup.roles(c, cl.id()).stream().filter(x -> x.name().equals(p.role()))
                    .findFirst().orElse(null);
            List<ClusterLookup.MemberRef> members = ClusterLookup.members(c, cl.id()).stream()
                    .filter(m -> m.role().equals(p.role())).toList();
            return role == null ? null : new Snapshot(cl, role, members);
        });
        if (s == null) {
            return; // the cluster (or role) went; its policy row goes with it
        }
        String key = r.clusterId() + "/" + p.role();
        State state = states.getOrDefault(key, new State(Evaluation.Breach.NONE, null));
        List<Double> values = new ArrayList<>();
        for (ClusterLookup.MemberRef m : s.members()) {
            if (m.instanceId() != null) {
                metrics.last(m.instanceId(), p.metric(), now - FRESH.toMillis()).ifPresent(values::add);
            }
        }
        OptionalDouble aggregate = Evaluation.aggregate(p.aggregate(), values.stream().mapToDouble(Double::doubleValue).toArray());
        Evaluation.Decision d = Evaluation.evaluate(p, aggregate, s.members().size(), values.size(), s.role().min(),
                s.role().max(), r.lastActionAt(), state.breach(), now);
        if (d.kind().acts() && s.cluster().task() != ClusterTask.NONE) {
            d = new Evaluation.Decision(Evaluation.Kind.BUSY, 0, d.reason() + "; but the cluster is busy (task "
                    + s.cluster().task() + "): tried again at the next evaluation", d.details(), d.breach());
        }
        if (!d.kind().acts()) {
            boolean worthSaying = d.kind() != state.said() && (d.kind() != Evaluation.Kind.WITHIN || BREACHES.contains(state.said()));
            if (worthSaying) {
                log.append(s.cluster().id(), now, "autoscale." + d.kind().name().toLowerCase(java.util.Locale.ROOT), d.reason(),
                        d.details());
            }
            states.put(key, new State(d.breach(), d.kind()));
            return;
        }
        act(s, p, d, now);
        states.put(key, new State(d.breach(), d.kind()));
    }

    private void act(Snapshot s, ScalingPolicy p, Evaluation.Decision d, long now) {
        Principal owner = Principal.user(s.cluster().owner(), false);
        Map<String, Object> details = new LinkedHashMap<>(d.details());
        String kind = d.kind() == Evaluation.Kind.SCALE_OUT ? "autoscale.scale_out" : "autoscale.scale_in";
        // the decision first, so that the events read: decided, then what the operation did; dated
        // at the evaluation's instant, which the cooldown counts from (PolicyRows.acted below)
        log.append(s.cluster().id(), now, kind, d.reason(), details);
        LOG.info("autoscaler: cluster {}/{}: {}", s.cluster().owner(), s.cluster().name(), d.reason());
        try {
            if (d.kind() == Evaluation.Kind.SCALE_OUT) {
                clusters.grow(owner, s.cluster().name(), new ClusterGrow(p.role(), d.count()));
            } else {
                // the deletion policy chooses, in the shrink's transaction (one owner of that choice)
                clusters.shrink(owner, s.cluster().name(), new ClusterShrink(null, p.role(), d.count()));
            }
        } catch (ApiException e) {
            // refused (busy, a rule, nowhere to place): said, and the cooldown starts as for an action,
            // so that a cluster that cannot grow is not asked again at every evaluation
            Map<String, Object> why = new LinkedHashMap<>(details);
            why.put("error", e.getMessage());
            log.append(s.cluster().id(), System.currentTimeMillis(), kind + "_refused",
                    "the " + (d.kind() == Evaluation.Kind.SCALE_OUT ? "grow" : "shrink") + " was refused: " + e.getMessage(), why);
        }
        db.transaction(c -> {
            PolicyRows.acted(c, s.cluster().id(), p.role(), now);
            return null;
        });
    }

    /** Gives the leadership up; after the master's schedule stopped (no evaluation runs then). */
    @Override
    public void close() {
        leadership.close();
    }
}
