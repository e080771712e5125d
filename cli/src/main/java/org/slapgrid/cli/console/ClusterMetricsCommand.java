package org.slapgrid.cli.console;

import java.io.PrintWriter;
import java.time.Instant;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.MetricSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slapos cluster metrics NAME [--since 10m] [--metric M]}: each member's series as the master keeps them. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = {"Show the metrics the members' nodes sent (cpu, memory, and each etc/metric/<name> of the profile):",
                "per member and metric the last sample, and the average and maximum since --since. The master",
                "keeps 10 s buckets for the last hour, 5 min for the last day, 1 h for the last week."})
final class ClusterMetricsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--since", paramLabel = "AGE", defaultValue = "10m",
            description = "how far back: 90s, 10m, 2h, 3d (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--metric", paramLabel = "METRIC", description = "only this metric")
    String metric;

    @Override
    int run(SlapClient client) throws Exception {
        long seconds;
        try {
            seconds = ClusterPolicyCommand.seconds(since);
        } catch (IllegalArgumentException e) {
            return usage("--since " + e.getMessage());
        }
        return show(client.clusterMetrics(name, System.currentTimeMillis() - seconds * 1000, metric), this::plain);
    }

    private void plain(MetricSeries s, PrintWriter out) {
        if (s.series().isEmpty()) {
            out.println("no metrics from the members of " + s.cluster() + " since " + since + " ago"
                    + " (nodes send them every --metric-interval of `slapos node daemon`)");
            return;
        }
        Table t = new Table("MEMBER", "ROLE", "METRIC", "LAST", "AGE", "AVG", "MAX", "POINTS");
        long now = System.currentTimeMillis();
        for (MetricSeries.Series x : s.series()) {
            double sum = 0;
            int n = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (MetricSeries.Point p : x.points()) {
                sum += p.avg() * p.count();
                n += p.count();
                max = Math.max(max, p.max());
            }
            t.row(x.member(), x.role(), x.metric(), x.last() == null ? null : number(x.last()),
                    x.lastAt() == null ? null : ((now - x.lastAt()) / 1000) + " s", n == 0 ? null : number(sum / n),
                    n == 0 ? null : number(max), x.points().size());
        }
        t.print(out);
        out.println("since " + Instant.ofEpochMilli(s.since()) + ", " + s.resolutionSeconds() + " s buckets");
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
