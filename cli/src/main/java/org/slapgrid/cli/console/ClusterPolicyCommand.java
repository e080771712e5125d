package org.slapgrid.cli.console;

import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ScalingPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos cluster policy NAME [--role R --metric M ...] [--delete]}: sets, shows or removes
 * the autoscaling policy of a role (docs/clusters.md "Autoscaling"). Without {@code --role} it
 * lists the cluster's policies.
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Set, show or remove the autoscaling policy of a cluster role. The master aggregates the metric",
                "over the role's members (avg or max of their last samples); when it stays above --scale-out-above",
                "for --scale-out-for it adds --step members (slapos cluster grow), when it stays below --scale-in-below",
                "for --scale-in-for it removes --step (slapos cluster shrink), never within --cooldown of its last",
                "action, always within the role's min and max. Every decision is in `slapos cluster events NAME`.",
                "Without --role: the cluster's policies."},
        footer = {"", "Example: slapos cluster policy web --role web --metric load --scale-out-above 5 --scale-out-for 1m \\",
                "           --scale-in-below 1 --scale-in-for 5m --cooldown 5m"})
final class ClusterPolicyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", description = "the role the policy scales")
    String role;

    @Option(names = "--metric", paramLabel = "METRIC", description = "cpu, memory or a profile's etc/metric/<name>")
    String metric;

    @Option(names = "--aggregate", paramLabel = "avg|max", description = "over the members (default avg)")
    String aggregate;

    @Option(names = "--scale-out-above", paramLabel = "VALUE")
    Double scaleOutAbove;

    @Option(names = "--scale-out-for", paramLabel = "DURATION", description = "how long above before adding (default 60s)")
    String scaleOutFor;

    @Option(names = "--scale-in-below", paramLabel = "VALUE")
    Double scaleInBelow;

    @Option(names = "--scale-in-for", paramLabel = "DURATION", description = "how long below before removing (default 60s)")
    String scaleInFor;

    @Option(names = "--step", paramLabel = "N", description = "members added or removed per action (default 1)")
    Integer step;

    @Option(names = "--cooldown", paramLabel = "DURATION", description = "no action this long after one (default 5m)")
    String cooldown;

    @Option(names = "--disable", description = "keep the policy but do not act on it")
    boolean disable;

    @Option(names = "--delete", description = "remove the role's policy")
    boolean delete;

    @Override
    int run(SlapClient client) throws Exception {
        if (role == null) {
            if (metric != null || delete) {
                return usage("--role is required to set or delete a policy");
            }
            return show(client.scalingPolicies(name), this::plain);
        }
        if (delete) {
            client.deleteScalingPolicy(name, role);
            return done("role " + role + " of cluster " + name + ": scaling policy removed");
        }
        if (metric == null) {
            return usage("--metric is required to set a policy");
        }
        ScalingPolicy p;
        try {
            p = new ScalingPolicy(role, metric, aggregate, scaleOutAbove, optionalSeconds("--scale-out-for", scaleOutFor),
                    scaleInBelow, optionalSeconds("--scale-in-for", scaleInFor), step, optionalSeconds("--cooldown", cooldown),
                    !disable);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        return printSet(this, name, client.setScalingPolicy(name, p));
    }

    /** The cluster's policies, one row each. */
    private void plain(List<ScalingPolicy> all, PrintWriter out) {
        if (all.isEmpty()) {
            out.println("cluster " + name + " has no scaling policy (set one with --role R --metric M ...)");
            return;
        }
        Table t = new Table("ROLE", "METRIC", "AGGREGATE", "SCALE OUT", "SCALE IN", "STEP", "COOLDOWN", "ENABLED");
        for (ScalingPolicy p : all) {
            t.row(p.role(), p.metric(), p.aggregate(),
                    p.scaleOutAbove() == null ? null : "> " + ClusterMetricsCommand.number(p.scaleOutAbove()) + " for " + p.scaleOutFor() + " s",
                    p.scaleInBelow() == null ? null : "< " + ClusterMetricsCommand.number(p.scaleInBelow()) + " for " + p.scaleInFor() + " s",
                    p.step(), p.cooldown() + " s", p.enabled() ? "yes" : "no");
        }
        t.print(out);
    }

    /** The policy as the master stored it: JSON, or one line; exit status 0. */
    static int printSet(ClientCommand cmd, String cluster, ScalingPolicy set) throws Exception {
        return cmd.report(set, "role " + set.role() + " of cluster " + cluster + ": " + set.aggregate() + " " + set.metric()
                + (set.scaleOutAbove() == null ? "" : ", +" + set.step() + " above " + ClusterMetricsCommand.number(set.scaleOutAbove())
                + " for " + set.scaleOutFor() + " s")
                + (set.scaleInBelow() == null ? "" : ", -" + set.step() + " below " + ClusterMetricsCommand.number(set.scaleInBelow())
                + " for " + set.scaleInFor() + " s")
                + ", cooldown " + set.cooldown() + " s" + (set.enabled() ? "" : " (disabled)"));
    }

    /**
     * {@code web:metric=load,above=5,above-for=1m,below=1,below-for=5m,step=1,cooldown=5m,aggregate=avg}
     * (the {@code --policy} of {@code slapos cluster create}); IllegalArgumentException naming the bad part.
     */
    static ScalingPolicy parseSpec(String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--policy " + spec + ": expected ROLE:metric=M,above=V,... ");
        }
        String metric = null;
        String aggregate = null;
        Double above = null;
        Double below = null;
        Integer aboveFor = null;
        Integer belowFor = null;
        Integer step = null;
        Integer cooldown = null;
        for (String kv : spec.substring(colon + 1).split(",")) {
            int eq = kv.indexOf('=');
            String key = eq < 0 ? kv : kv.substring(0, eq);
            String value = eq < 0 ? "" : kv.substring(eq + 1);
            String where = "--policy " + spec + ": " + key;
            try {
                switch (key) {
                    case "metric" -> metric = value;
                    case "aggregate" -> aggregate = value;
                    case "above" -> above = Double.parseDouble(value);
                    case "below" -> below = Double.parseDouble(value);
                    case "above-for" -> aboveFor = optionalSeconds(where, value);
                    case "below-for" -> belowFor = optionalSeconds(where, value);
                    case "cooldown" -> cooldown = optionalSeconds(where, value);
                    case "step" -> step = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("--policy " + spec + ": unknown key '" + key
                            + "' (keys: metric, aggregate, above, above-for, below, below-for, step, cooldown)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": '" + value + "' is not a number");
            }
        }
        if (metric == null || metric.isEmpty()) {
            throw new IllegalArgumentException("--policy " + spec + ": metric=M is required");
        }
        return new ScalingPolicy(spec.substring(0, colon), metric, aggregate, above, aboveFor, below, belowFor, step, cooldown, true);
    }

    static Integer optionalSeconds(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Math.toIntExact(seconds(value));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " " + e.getMessage());
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd]?)");

    /** {@code 90}, {@code 90s}, {@code 10m}, {@code 2h}, {@code 3d} as seconds. */
    static long seconds(String value) {
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "': expected a duration such as 30s, 10m, 2h or 3d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            case "d" -> n * 86_400;
            default -> n;
        };
    }
}
