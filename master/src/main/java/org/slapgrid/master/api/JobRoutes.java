package org.slapgrid.master.api;

import io.javalin.config.RoutesConfig;
import java.io.InputStream;
import java.nio.file.Files;
import org.slapgrid.master.jobs.JobService;
import org.slapgrid.slap.model.JobReport;

/**
 * The partition-job routes of docs/protocol.md, all for the node's own credential: a job's
 * report, the file it uploads (size-limited, streamed to the master's data directory), the
 * file it fetches (a restore's backup part).
 */
public final class JobRoutes {
    private static final String JOB = "/api/v1/nodes/{node}/partitions/{partition}/jobs/{job}";
    private final JobService jobs;
    private final MasterApi api;

    public JobRoutes(JobService jobs, MasterApi api) {
        this.jobs = jobs;
        this.api = api;
    }

    public void install(RoutesConfig app) {
        app.put(JOB, ctx -> {
            jobs.report(MasterApi.caller(ctx), ctx.pathParam("node"), ctx.pathParam("partition"), ctx.pathParam("job"),
                    api.body(ctx, JobReport.class));
            ctx.status(204);
        });
        app.put("/api/v1/nodes/{node}/jobs/{job}", ctx -> {
            jobs.reportNodeJob(MasterApi.caller(ctx), ctx.pathParam("node"), ctx.pathParam("job"), api.body(ctx, JobReport.class));
            ctx.status(204);
        });
        app.put(JOB + "/artifact", ctx -> {
            if (ctx.contentLength() > jobs.maxArtifactBytes()) {
                throw new org.slapgrid.master.service.ApiException(413, "too_large", "the file is larger than "
                        + jobs.maxArtifactBytes() + " bytes (maxArtifactBytes)");
            }
            try (InputStream in = ctx.req().getInputStream()) {
                String sha = jobs.receiveArtifact(MasterApi.caller(ctx), ctx.pathParam("node"), ctx.pathParam("partition"),
                        ctx.pathParam("job"), in);
                api.json(ctx, java.util.Map.of("sha256", sha));
            }
        });
        app.get(JOB + "/artifact", ctx -> {
            var file = jobs.inputFor(MasterApi.caller(ctx), ctx.pathParam("node"), ctx.pathParam("partition"), ctx.pathParam("job"));
            ctx.contentType("application/octet-stream");
            ctx.header("Content-Length", Long.toString(Files.size(file)));
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(ctx.res().getOutputStream());
            }
        });
    }
}
