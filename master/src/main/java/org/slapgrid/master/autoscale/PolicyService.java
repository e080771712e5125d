package org.slapgrid.master.autoscale;

import java.util.List;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.cluster.ClusterLookup;
import org.slapgrid.master.metrics.MetricService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.master.store.Database;
import org.slapgrid.slap.model.ScalingPolicy;

/**
 * Setting, listing and removing a cluster's scaling policies (one per role), by the cluster's
 * owner (or an admin); another user's cluster is answered 404 as every cluster call. Bad values
 * are refused with 400 naming the field; a policy whose thresholds cross (scale in above scale
 * out) with 422, since it would flap.
 */
public final class PolicyService {
    /** Bounds of a policy's durations (seconds) and step. */
    static final int MAX_SECONDS = 86_400;
    static final int MAX_STEP = 64;

    private final Database db;
    private final Autoscaler autoscaler;

    public PolicyService(Database db, Autoscaler autoscaler) {
        this.db = db;
        this.autoscaler = autoscaler;
    }

    public List<ScalingPolicy> list(Principal caller, String cluster) {
        requireUser(caller);
        return db.read(c -> PolicyRows.of(c, ClusterLookup.find(c, caller, cluster).id()).stream().map(PolicyRows.Row::policy).toList());
    }

    /** Sets (replaces) the policy of {@code policy.role()}; returns it with its defaults filled in. */
    public ScalingPolicy set(Principal caller, String cluster, ScalingPolicy policy) {
        requireUser(caller);
        ScalingPolicy p = complete(policy);
        String id = db.transaction(c -> {
            ClusterLookup.Ref cl = ClusterLookup.find(c, caller, cluster);
            if (ClusterLookup.roles(c, cl.id()).stream().noneMatch(r -> r.name().equals(p.role()))) {
                throw ApiException.notFound("unknown_role", "cluster '" + cl.name() + "' has no role '" + p.role() + "'");
            }
            PolicyRows.put(c, cl.id(), p);
            return cl.id();
        });
        autoscaler.forget(id, p.role()); // a new policy starts with no breach held
        return p;
    }

    public void delete(Principal caller, String cluster, String role) {
        requireUser(caller);
        String id = db.transaction(c -> {
            ClusterLookup.Ref cl = ClusterLookup.find(c, caller, cluster);
            if (!PolicyRows.delete(c, cl.id(), role)) {
                throw ApiException.notFound("unknown_policy", "role '" + role + "' of cluster '" + cl.name() + "' has no scaling policy");
            }
            return cl.id();
        });
        autoscaler.forget(id, role);
    }

    /** The policy with every default filled in, or 400 naming the first bad field. */
    static ScalingPolicy complete(ScalingPolicy p) {
        if (p == null) {
            throw ApiException.badRequest("body is required");
        }
        if (p.role() == null || p.role().isBlank()) {
            throw ApiException.badRequest("role is required");
        }
        if (p.metric() == null || !MetricService.NAME.matcher(p.metric()).matches()) {
            throw ApiException.badRequest("metric must be a metric's name: 1-32 of a-z, 0-9, '_', '.', '-' (got "
                    + (p.metric() == null ? "nothing" : "'" + p.metric() + "'") + ")");
        }
        String aggregate = p.aggregate() == null ? "avg" : p.aggregate();
        if (!aggregate.equals("avg") && !aggregate.equals("max")) {
            throw ApiException.badRequest("aggregate must be avg or max (got '" + aggregate + "')");
        }
        if (p.scaleOutAbove() == null && p.scaleInBelow() == null) {
            throw ApiException.badRequest("give scaleOutAbove, scaleInBelow or both");
        }
        finite("scaleOutAbove", p.scaleOutAbove());
        finite("scaleInBelow", p.scaleInBelow());
        if (p.scaleOutAbove() != null && p.scaleInBelow() != null && p.scaleInBelow() >= p.scaleOutAbove()) {
            throw new ApiException(422, "policy_rule", "scaleInBelow (" + p.scaleInBelow() + ") must be under scaleOutAbove ("
                    + p.scaleOutAbove() + "): the cluster would scale in and out on the same values");
        }
        int outFor = seconds("scaleOutFor", p.scaleOutFor(), 60);
        int inFor = seconds("scaleInFor", p.scaleInFor(), 60);
        int cooldown = seconds("cooldown", p.cooldown(), 300);
        int step = p.step() == null ? 1 : p.step();
        if (step < 1 || step > MAX_STEP) {
            throw ApiException.badRequest("step must be 1-" + MAX_STEP + " (got " + step + ")");
        }
        return new ScalingPolicy(p.role(), p.metric(), aggregate, p.scaleOutAbove(), outFor, p.scaleInBelow(), inFor, step,
                cooldown, p.enabled() == null || p.enabled());
    }

    private static void finite(String field, Double v) {
        if (v != null && !Double.isFinite(v)) {
            throw ApiException.badRequest(field + " must be a finite number");
        }
    }

    private static int seconds(String field, Integer v, int otherwise) {
        int s = v == null ? otherwise : v;
        if (s < 0 || s > MAX_SECONDS) {
            throw ApiException.badRequest(field + " must be 0-" + MAX_SECONDS + " seconds (got " + s + ")");
        }
        return s;
    }

    private static void requireUser(Principal caller) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("this call needs a user's API token");
        }
    }
}
