package org.slapgrid.master.api;

import io.javalin.config.RoutesConfig;
import org.slapgrid.master.cluster.ClusterService;
import org.slapgrid.slap.model.ClusterDisk;
import org.slapgrid.slap.model.ClusterGrow;
import org.slapgrid.slap.model.ClusterPromote;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterResize;
import org.slapgrid.slap.model.ClusterShrink;
import org.slapgrid.slap.model.ClusterSwitch;
import org.slapgrid.slap.model.DeletionPolicy;
import org.slapgrid.slap.model.ServiceAction;

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

    /**
     * The calling instance's lifecycle queue; with {@code wait=N}, waits up to N seconds for a
     * notification when there is none yet (woken when its member is chosen for removal).
     */
    private void lifecycleQueue(io.javalin.http.Context ctx) {
        org.slapgrid.master.auth.Principal caller = MasterApi.caller(ctx);
        var now = clusters.lifecycleQueue(caller);
        int wait = MasterApi.parseWait(ctx.queryParam("wait"));
        if (!now.isEmpty() || wait == 0) {
            api.json(ctx, now);
            return;
        }
        ctx.future(() -> api.awaitKey(ClusterService.lifecycleQueueKey(caller.subject()), 0, java.time.Duration.ofSeconds(wait),
                () -> java.util.OptionalLong.of(clusters.lifecycleQueue(caller).size()))
                .thenAccept(n -> api.json(ctx, clusters.lifecycleQueue(caller))));
    }

    public void install(RoutesConfig app) {
        app.post("/api/v1/clusters", ctx -> api.created(ctx, clusters.create(MasterApi.caller(ctx), api.body(ctx, ClusterRequest.class))));
        app.get("/api/v1/clusters", ctx -> api.json(ctx, clusters.list(MasterApi.caller(ctx), "true".equals(ctx.queryParam("detailed")))));
        app.get("/api/v1/clusters/{name}", ctx -> api.json(ctx, clusters.show(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.delete("/api/v1/clusters/{name}", ctx -> api.json(ctx, clusters.destroy(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.get("/api/v1/clusters/{name}/events", ctx -> api.json(ctx, clusters.events(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.get("/api/v1/clusters/{name}/status", ctx -> api.json(ctx, clusters.status(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.post("/api/v1/clusters/{name}/backup", ctx -> {
            ctx.status(202);
            api.json(ctx, clusters.backup(MasterApi.caller(ctx), ctx.pathParam("name")));
        });
        app.get("/api/v1/clusters/{name}/backups", ctx -> api.json(ctx, clusters.backups(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.get("/api/v1/backups/{id}", ctx -> api.json(ctx, clusters.backupInfo(MasterApi.caller(ctx), ctx.pathParam("id"))));
        app.delete("/api/v1/backups/{id}", ctx -> {
            clusters.deleteBackup(MasterApi.caller(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        app.post("/api/v1/backups/{id}/restore", ctx -> api.created(ctx, clusters.restore(MasterApi.caller(ctx), ctx.pathParam("id"),
                api.body(ctx, org.slapgrid.slap.model.ClusterRestore.class))));
        app.post("/api/v1/clusters/{name}/restart", ctx -> {
            ctx.status(202);
            api.json(ctx, clusters.restart(MasterApi.caller(ctx), ctx.pathParam("name")));
        });
        app.post("/api/v1/clusters/{name}/grow", api.callWithBody(ClusterGrow.class, clusters::grow));
        app.post("/api/v1/clusters/{name}/shrink", api.callWithBody(ClusterShrink.class, clusters::shrink));
        app.post("/api/v1/clusters/{name}/services", api.callWithBody(ServiceAction.class, clusters::services));
        app.post("/api/v1/clusters/{name}/switch", api.callWithBody(ClusterSwitch.class, clusters::switchPrimary));
        app.post("/api/v1/clusters/{name}/promote", api.callWithBody(ClusterPromote.class, clusters::promote));
        app.post("/api/v1/clusters/{name}/resize", api.callWithBody(ClusterResize.class, clusters::resize));
        app.post("/api/v1/clusters/{name}/disk-attach", api.callWithBody(ClusterDisk.class, clusters::attachDisk));
        app.post("/api/v1/clusters/{name}/disk-detach", api.callWithBody(ClusterDisk.class, clusters::detachDisk));
        app.get("/api/v1/clusters/{name}/deletion-policy", ctx -> api.json(ctx,
                clusters.deletionPolicy(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.put("/api/v1/clusters/{name}/deletion-policy", api.callWithBody(DeletionPolicy.class, clusters::setDeletionPolicy));
        app.post("/api/v1/clusters/{name}/actions", ctx -> {
            clusters.completeLifecycle(MasterApi.caller(ctx), ctx.pathParam("name"), api.body(ctx, org.slapgrid.slap.model.ClusterAction.class));
            ctx.status(202);
            ctx.header("Location", "/api/v1/clusters/" + ctx.pathParam("name"));
            api.json(ctx, java.util.Map.of("accepted", true));
        });
        app.get("/api/v1/instance/lifecycle", this::lifecycleQueue);
    }
}
