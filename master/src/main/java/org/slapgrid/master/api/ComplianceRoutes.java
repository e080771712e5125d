package org.slapgrid.master.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.compliance.ComplianceRuns;
import org.slapgrid.master.compliance.ComplianceService;
import org.slapgrid.master.service.ApiException;
import org.slapgrid.slap.model.Compliance;

/**
 * The compliance routes of docs/protocol.md (docs/compliance.md): a user's rulesets, modulesets,
 * attachments and results under /api/v1/compliance, and a node's plan and results under its
 * own path. Authenticated as every /api route.
 */
public final class ComplianceRoutes {
    private final ComplianceService compliance;
    private final ComplianceRuns runs;
    private final MasterApi api;

    public ComplianceRoutes(ComplianceService compliance, ComplianceRuns runs, MasterApi api) {
        this.compliance = compliance;
        this.runs = runs;
        this.api = api;
    }

    public void install(RoutesConfig app) {
        String base = "/api/v1/compliance/";
        namedCollection(app, base + "rulesets", Compliance.Ruleset.class, compliance::createRuleset, compliance::rulesets,
                compliance::ruleset, Compliance.RulesetUpdate.class, compliance::updateRuleset, compliance::deleteRuleset);
        namedCollection(app, base + "modulesets", Compliance.Moduleset.class, compliance::createModuleset, compliance::modulesets,
                compliance::moduleset, Compliance.ModulesetUpdate.class, compliance::updateModuleset, compliance::deleteModuleset);
        app.post(base + "attach", ctx -> {
            compliance.attach(MasterApi.caller(ctx), api.body(ctx, Compliance.Attachment.class));
            ctx.status(204);
        });
        app.post(base + "detach", ctx -> {
            compliance.detach(MasterApi.caller(ctx), api.body(ctx, Compliance.Attachment.class));
            ctx.status(204);
        });
        app.get(base + "attachments", ctx -> {
            for (Compliance.TargetKind k : Compliance.TargetKind.values()) {
                String target = ctx.queryParam(k.name());
                if (target != null) {
                    api.json(ctx, compliance.attachments(MasterApi.caller(ctx), k, target));
                    return;
                }
            }
            throw ApiException.badRequest("name the target: ?node=ID, ?instance=NAME or ?cluster=NAME");
        });
        app.get(base + "results/{target}", ctx -> api.json(ctx, compliance.results(MasterApi.caller(ctx), kind(ctx),
                ctx.pathParam("target"), limit(ctx))));
        app.post(base + "runs", ctx -> api.created(ctx, runs.create(MasterApi.caller(ctx), api.body(ctx, Compliance.RunRequest.class))));
        app.get(base + "runs/{id}", ctx -> api.json(ctx, runs.get(MasterApi.caller(ctx), ctx.pathParam("id"))));
        app.get("/api/v1/nodes/{node}/compliance", ctx -> api.json(ctx, compliance.plan(MasterApi.caller(ctx), ctx.pathParam("node"),
                new Compliance.Facts(ctx.queryParam("os"), ctx.queryParam("tags") == null ? List.of()
                        : List.of(ctx.queryParam("tags").strip().split("\\s+"))))));
        app.post("/api/v1/nodes/{node}/compliance/results", ctx -> {
            compliance.report(MasterApi.caller(ctx), ctx.pathParam("node"), api.body(ctx, Compliance.Report.class).results());
            ctx.status(204);
        });
    }

    /**
     * The five routes of a user's collection of named things under {@code path} (rulesets,
     * modulesets): create (201), list, read, update (PATCH) and delete (204) by name.
     */
    private <N, U> void namedCollection(RoutesConfig app, String path, Class<N> newType, BiFunction<Principal, N, ?> create,
                                        Function<Principal, ?> list, BiFunction<Principal, String, ?> read,
                                        Class<U> updateType, MasterApi.NamedCall<U> update, BiConsumer<Principal, String> delete) {
        app.post(path, ctx -> api.created(ctx, create.apply(MasterApi.caller(ctx), api.body(ctx, newType))));
        app.get(path, ctx -> api.json(ctx, list.apply(MasterApi.caller(ctx))));
        app.get(path + "/{name}", ctx -> api.json(ctx, read.apply(MasterApi.caller(ctx), ctx.pathParam("name"))));
        app.patch(path + "/{name}", api.callWithBody(updateType, update));
        app.delete(path + "/{name}", ctx -> {
            delete.accept(MasterApi.caller(ctx), ctx.pathParam("name"));
            ctx.status(204);
        });
    }

    private static Compliance.TargetKind kind(Context ctx) {
        String k = ctx.queryParam("kind");
        if (k == null) {
            return null;
        }
        try {
            return Compliance.TargetKind.valueOf(k);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("kind must be node or instance (got '" + k + "')");
        }
    }

    private static int limit(Context ctx) {
        String l = ctx.queryParam("limit");
        try {
            return l == null ? 100 : Integer.parseInt(l);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("limit must be a number (got '" + l + "')");
        }
    }
}
