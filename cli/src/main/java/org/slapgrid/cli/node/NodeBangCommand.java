package org.slapgrid.cli.node;

import java.util.List;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.slap.model.PartitionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slapos node bang}: tells the master that something broke, so it re-converges. */
@Command(name = "bang", mixinStandardHelpOptions = true,
        description = {"Report a problem to the master, so it re-converges the instance.",
                "Report a problem to the master as a bang: it bumps the instance tree, so the nodes",
                "re-converge it. Without --partition, every instance on this node is banged."})
final class NodeBangCommand extends NodeVerb {

    @Option(names = {"-m", "--message"}, required = true, description = "What happened.")
    String message;

    @Option(names = "--partition", paramLabel = "PARTITION", description = "The partition whose instance broke.")
    String partition;

    @Override
    int run(NodeConfig config) throws Exception {
        Node node = open(config);
        List<String> targets = partition != null ? List.of(partition)
                : node.master().nodeInfo(config.nodeId()).partitions().stream()
                        .filter(p -> p.instance() != null).map(PartitionInfo::id).toList();
        for (String p : targets) {
            node.master().bang(config.nodeId(), p, message);
            System.out.println(p + ": bang sent");
        }
        if (targets.isEmpty()) {
            System.out.println("No instance on node " + config.nodeId() + ": nothing to bang.");
        }
        return ExitCode.OK;
    }
}
