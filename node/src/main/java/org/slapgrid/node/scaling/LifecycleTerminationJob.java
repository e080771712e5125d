package org.slapgrid.node.scaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slapgrid.node.jobs.JobContext;
import org.slapgrid.node.jobs.JobKind;
import org.slapgrid.node.jobs.JobOutcome;

/**
 * {@code lifecycle-termination}: the member was chosen for removal (seed 003): its
 * {@code etc/lifecycle/termination} runs as the partition's user with
 * {@code SLAPGRID_LIFECYCLE_TOKEN} (the token that completes the hook),
 * {@code SLAPGRID_LIFECYCLE_MEMBER}, {@code SLAPGRID_LIFECYCLE_TRANSITION} ({@code termination}),
 * {@code SLAPGRID_LIFECYCLE_DEADLINE} (epoch ms), and {@code SLAPOS_MASTER_URL} /
 * {@code SLAPOS_TOKEN} (the instance's own secret), so {@code slapos lifecycle complete
 * $SLAPGRID_LIFECYCLE_TOKEN} works from it once drained. Its timeout is the cluster's
 * hook_timeout; the master removes the member then anyway.
 */
public final class LifecycleTerminationJob implements JobKind {
    private final String masterUrl;

    public LifecycleTerminationJob(String masterUrl) {
        // without its trailing slash, so that a script's "$SLAPOS_MASTER_URL/api/v1/..." is a path the master knows
        this.masterUrl = masterUrl.replaceAll("/+$", "");
    }

    @Override
    public String name() {
        return "lifecycle-termination";
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofMinutes(1);
    }

    @Override
    public JobOutcome run(JobContext ctx) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLAPGRID_LIFECYCLE_TOKEN", ctx.arg("token", ""));
        env.put("SLAPGRID_LIFECYCLE_MEMBER", ctx.arg("member", ""));
        env.put("SLAPGRID_LIFECYCLE_TRANSITION", ctx.arg("transition", "termination"));
        env.put("SLAPGRID_LIFECYCLE_DEADLINE", ctx.arg("deadline", ""));
        env.put("SLAPOS_MASTER_URL", masterUrl);
        // the instance's secret, root's own file in the partition's state directory (jobs/<id> is below it)
        Path secret = ctx.workDirectory().getParent().getParent().resolve("instance.secret");
        if (Files.isRegularFile(secret)) {
            env.put("SLAPOS_TOKEN", Files.readString(secret).strip());
        }
        return ScalingHookJob.runHook(ctx, Path.of("etc", "lifecycle", "termination"), env);
    }
}
