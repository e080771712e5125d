package org.slapgrid.node.scaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slapgrid.node.exec.ExecResult;
import org.slapgrid.node.jobs.JobContext;
import org.slapgrid.node.jobs.JobKind;
import org.slapgrid.node.jobs.JobOutcome;

/**
 * {@code scaling-hook}: runs the partition's {@code etc/scaling/<hook>} (on-add, on-remove,
 * pre-scale, post-scale) as its user with seed 000's environment, so a SlipStream hook script
 * runs unchanged: {@code SLIPSTREAM_SCALING_NODE} (the role), {@code SLIPSTREAM_SCALING_VMS}
 * (the members, {@code <role>.<n>}, space-separated), {@code SLIPSTREAM_SCALING_ACTION}
 * (vm_resize, disk_attach, disk_detach, vm_remove; empty for on-add/on-remove), and the same as
 * {@code SLAPGRID_SCALING_ROLE}, {@code _MEMBERS}, {@code _ACTION}, plus {@code _HOOK}; the
 * partition's {@code bin/} comes first on {@code PATH}. A
 * partition without the hook succeeds at once and says so ({@code result.ran = false}).
 */
public final class ScalingHookJob implements JobKind {
    static final Set<String> HOOKS = Set.of("on-add", "on-remove", "pre-scale", "post-scale");

    @Override
    public String name() {
        return "scaling-hook";
    }

    @Override
    public Duration defaultTimeout() {
        return Duration.ofMinutes(5);
    }

    @Override
    public JobOutcome run(JobContext ctx) throws IOException {
        String hook = ctx.arg("hook", "");
        if (!HOOKS.contains(hook)) {
            return JobOutcome.failed("scaling-hook: unknown hook '" + hook + "' (expected one of " + HOOKS + ")");
        }
        Object listed = ctx.job().args().get("members");
        String members = listed instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : "";
        String role = ctx.arg("role", "");
        String action = ctx.arg("action", "");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLIPSTREAM_SCALING_NODE", role);
        env.put("SLIPSTREAM_SCALING_VMS", members);
        env.put("SLIPSTREAM_SCALING_ACTION", action);
        env.put("SLAPGRID_SCALING_ROLE", role);
        env.put("SLAPGRID_SCALING_MEMBERS", members);
        env.put("SLAPGRID_SCALING_ACTION", action);
        env.put("SLAPGRID_SCALING_HOOK", hook);
        // the partition's own bin/ first, where a profile puts the tools its hooks call (SlipStream's ss-get, say)
        env.put("PATH", ctx.partition().directory().resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
        return runHook(ctx, Path.of("etc", "scaling", hook), env);
    }

    /**
     * Runs {@code relative} of the partition as its user (absent: success, "nothing to run").
     * Whether it is there is an lstat by root; only the partition's user opens it.
     */
    static JobOutcome runHook(JobContext ctx, Path relative, Map<String, String> env) throws IOException {
        Path file = ctx.partition().directory().resolve(relative);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new JobOutcome(true, 0, "no " + relative + " in " + ctx.partition().id() + ": nothing to run",
                    Map.of("ran", false));
        }
        ExecResult r = ctx.run(List.of(file.toString()), env);
        String output = r.output() + (r.timedOut() ? "\n" + relative + " timed out after " + ctx.timeout().toSeconds() + " s" : "");
        return new JobOutcome(r.succeeded(), r.timedOut() ? null : r.exitCode(), output,
                Map.of("ran", true, "timedOut", r.timedOut()));
    }
}
