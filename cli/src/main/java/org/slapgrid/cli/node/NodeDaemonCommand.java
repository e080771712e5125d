package org.slapgrid.cli.node;

import java.time.Duration;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.daemon.NodeDaemon;
import org.slapgrid.node.metrics.MetricSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slapos node daemon}: software and instances, continuously. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Run software and instance convergence continuously.",
                "Run software installation and instance convergence continuously: long-poll the master",
                "and act on a change at once, re-converge each partition at least once per periodicity,",
                "run promises after every poll, report service crashes as bangs, survive an unreachable",
                "master. SIGTERM stops it cleanly and leaves the services running under supervisord."})
final class NodeDaemonCommand extends NodeVerb {

    @Option(names = "--poll-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest wait of one long-poll, hence the promise period (default: ${DEFAULT-VALUE}).")
    int pollWait;

    @Option(names = "--metric-interval", paramLabel = "SECONDS", defaultValue = "60",
            description = "How often each partition's CPU, memory and etc/metric/* numbers are sent to the master;"
                    + " 0 turns it off (default: ${DEFAULT-VALUE}).")
    int metricInterval;

    @Option(names = "--metric-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Longest run of one etc/metric/* executable (default: ${DEFAULT-VALUE}).")
    int metricTimeout;

    @Override
    int run(NodeConfig config) throws Exception {
        NodeDaemon daemon = new NodeDaemon(open(config), Duration.ofSeconds(Math.max(1, Math.min(60, pollWait))),
                line -> System.out.println(java.time.Instant.now() + " " + line))
                .withMetrics(metricSettings());
        daemon.stopOnShutdown().run();
        return ExitCode.OK;
    }

    private MetricSettings metricSettings() {
        if (metricInterval < 0 || metricInterval > 86_400 || metricTimeout < 1 || metricTimeout > 3600) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--metric-interval must be 0-86400 and --metric-timeout 1-3600 seconds (got " + metricInterval + ", "
                            + metricTimeout + ")");
        }
        return new MetricSettings(Duration.ofSeconds(metricInterval), Duration.ofSeconds(metricTimeout));
    }
}
