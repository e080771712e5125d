package org.slapgrid.cli.node;

import java.util.List;

import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.daemon.ControlSocket;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slapos node instance}: converges the partitions once. */
@Command(name = "instance", mixinStandardHelpOptions = true,
        description = {"Converge the partitions once (or have the running daemon do it).",
                "Converge every partition that hosts an instance to what the master asks: run its profile",
                "as the partition's user, put its services under supervisord, run its promises, report.",
                "Unchanged partitions are skipped (only their promises run) until their periodicity elapses.",
                "When a node daemon runs, it does the round (it is warm); --no-daemon runs it here.",
                "Exit 0 when all converged and their promises hold, 1 when one failed or has a broken promise."})
final class NodeInstanceCommand extends NodeVerb {

    @Option(names = "--force", description = "Converge even the partitions whose inputs did not change.")
    boolean force;

    @Option(names = "--only", paramLabel = "PARTITION", description = "Converge only this partition (e.g. slappart3).")
    String only;

    @Option(names = "--no-daemon", description = "Run the round in this process even when a node daemon is running.")
    boolean noDaemon;

    @Override
    int run(NodeConfig config) throws Exception {
        InstanceConverger.Selection selection = new InstanceConverger.Selection(force, only);
        // A running daemon is warm and serialises rounds: let it do the work.
        List<PartitionOutcome> out = noDaemon ? null
                : ControlSocket.ask(ControlSocket.pathFor(config), selection).orElse(null);
        if (out == null) {
            Node node = open(config);
            out = node.instance(node.master().nodeInfo(config.nodeId()), selection);
        }
        // A broken promise is a failure of the instance, not bad usage (design section 7).
        return report(out, only == null ? "No instance is allocated on node " + config.nodeId() + "."
                        : "Partition " + only + " hosts no instance.",
                o -> o.kind() == PartitionOutcome.Kind.FAILED || o.kind() == PartitionOutcome.Kind.PROMISE_BROKEN);
    }
}
