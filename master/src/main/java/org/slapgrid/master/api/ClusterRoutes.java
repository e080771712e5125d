package org.slapgrid.master.api;

import io.javalin.config.RoutesConfig;
import org.slapgrid.master.cluster.ClusterService;
import org.slapgrid.slap.model.ClusterGrow;
import org.slapgrid.slap.model.ClusterPromote;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterShrink;

/**
 * The cluster routes of docs/protocol.md (docs/clusters.md): authenticated as every /api route,
 * a user's own clusters (an admin's: every cluster), another user's answered 404. Refusals: 409
 * while the cluster is busy, 422 when a rule forbids the operation (the message names it).
 */
public final class ClusterRoutes {
    private final ClusterService clusters;
    private final MasterApi api;

    public ClusterRoutes(ClusterService clusters, MasterApi api) {
        this.clusters = clusters;
        this.api = api;
    }

    public void install(RoutesConfig app) {
        app.post("/api/v1/clusters", ctx -> api.created(ctx, clusters.create(MasterApi.who(ctx), api.body(ctx, ClusterRequest.class))));
        app.get("/api/v1/clusters", ctx -> api.json(ctx, clusters.list(MasterApi.who(ctx), "true".equals(ctx.queryParam("detailed")))));
        app.get("/api/v1/clusters/{name}", ctx -> api.json(ctx, clusters.show(MasterApi.who(ctx), ctx.pathParam("name"))));
        app.delete("/api/v1/clusters/{name}", ctx -> api.json(ctx, clusters.destroy(MasterApi.who(ctx), ctx.pathParam("name"))));
        app.get("/api/v1/clusters/{name}/events", ctx -> api.json(ctx, clusters.events(MasterApi.who(ctx), ctx.pathParam("name"))));
        app.post("/api/v1/clusters/{name}/grow", ctx -> api.json(ctx,
                clusters.grow(MasterApi.who(ctx), ctx.pathParam("name"), api.body(ctx, ClusterGrow.class))));
        app.post("/api/v1/clusters/{name}/shrink", ctx -> api.json(ctx,
                clusters.shrink(MasterApi.who(ctx), ctx.pathParam("name"), api.body(ctx, ClusterShrink.class))));
        app.post("/api/v1/clusters/{name}/services", ctx -> api.json(ctx,
                clusters.services(MasterApi.who(ctx), ctx.pathParam("name"), api.body(ctx, org.slapgrid.slap.model.ServiceAction.class))));
        app.post("/api/v1/clusters/{name}/switch", ctx -> api.json(ctx,
                clusters.switchPrimary(MasterApi.who(ctx), ctx.pathParam("name"), api.body(ctx, org.slapgrid.slap.model.ClusterSwitch.class))));
        app.post("/api/v1/clusters/{name}/promote", ctx -> api.json(ctx,
                clusters.promote(MasterApi.who(ctx), ctx.pathParam("name"), api.body(ctx, ClusterPromote.class))));
    }
}
