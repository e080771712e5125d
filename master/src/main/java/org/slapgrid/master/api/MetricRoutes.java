package org.slapgrid.master.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.slapgrid.master.autoscale.PolicyService;
import org.slapgrid.master.metrics.MetricService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.slap.model.MetricBatch;
import org.slapgrid.slap.model.ScalingPolicy;

/**
 * The metric and autoscaling routes (docs/clusters.md "Metrics", "Autoscaling"): a node sends its
 * partitions' samples (its own credential, its own partitions only); a user reads the series of
 * its instances and clusters and sets its clusters' scaling policies.
 */
public final class MetricRoutes {
    private final MetricService metrics;
    private final PolicyService policies;
    private final MasterApi api;

    public MetricRoutes(MetricService metrics, PolicyService policies, MasterApi api) {
        this.metrics = metrics;
        this.policies = policies;
        this.api = api;
    }

    public void install(RoutesConfig app) {
        app.post("/api/v1/nodes/{node}/metrics", ctx -> api.json(ctx,
                metrics.ingest(MasterApi.caller(ctx), ctx.pathParam("node"), api.body(ctx, MetricBatch.class))));
        app.get("/api/v1/clusters/{name}/metrics", ctx -> api.json(ctx,
                metrics.cluster(MasterApi.caller(ctx), ctx.pathParam("name"), since(ctx), ctx.queryParam("metric"))));
        app.get("/api/v1/instances/{name}/metrics", ctx -> api.json(ctx,
                metrics.instance(MasterApi.caller(ctx), ctx.pathParam("name"), since(ctx), ctx.queryParam("metric"))));
        app.get("/api/v1/clusters/{name}/policies", ctx -> api.json(ctx, policies.list(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.put("/api/v1/clusters/{name}/policies/{role}", ctx -> {
            ScalingPolicy p = api.body(ctx, ScalingPolicy.class);
            if (p != null && p.role() != null && !p.role().equals(ctx.pathParam("role"))) {
                throw ApiException.badRequest("role '" + p.role() + "' in the body is not the role of the path, '" + ctx.pathParam("role") + "'");
            }
            ScalingPolicy withRole = p == null ? null : new ScalingPolicy(ctx.pathParam("role"), p.metric(), p.aggregate(),
                    p.scaleOutAbove(), p.scaleOutFor(), p.scaleInBelow(), p.scaleInFor(), p.step(), p.cooldown(), p.enabled());
            api.json(ctx, policies.set(MasterApi.caller(ctx), ctx.pathParam("name"), withRole));
        });
        app.delete("/api/v1/clusters/{name}/policies/{role}", ctx -> {
            policies.delete(MasterApi.caller(ctx), ctx.pathParam("name"), ctx.pathParam("role"));
            ctx.status(204);
        });
    }

    /** {@code since}: epoch milliseconds (absent: the last hour). */
    private static Long since(Context ctx) {
        String s = ctx.queryParam("since");
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("since must be epoch milliseconds (got '" + s + "')");
        }
    }
}
