package org.slapgrid.cli.node;

import java.time.Duration;

import org.slapgrid.cli.Main;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.daemon.NodeDaemon;
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

    @Override
    int run(NodeConfig config) throws Exception {
        NodeDaemon daemon = new NodeDaemon(open(config), Duration.ofSeconds(Math.max(1, Math.min(60, pollWait))),
                line -> System.out.println(java.time.Instant.now() + " " + line));
        daemon.stopOnShutdown().run();
        return Main.EXIT_OK;
    }
}
