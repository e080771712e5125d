package org.slapgrid.cli.node;

import java.util.List;

import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.software.SoftwareOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code slapos node software}: builds the releases supplied to this node. */
@Command(name = "software", mixinStandardHelpOptions = true,
        description = {"Build the software releases supplied to this node.",
                "Build every software release the master supplies to this node, into",
                "<software_root>/<md5 of the URL>/, and remove the ones it marks destroyed.",
                "A release already built costs nothing. Exit 0 when all are available, 1 otherwise."})
final class NodeSoftwareCommand extends NodeVerb {

    @Option(names = "--force", description = "Build again even the releases already built.")
    boolean force;

    @Override
    int run(NodeConfig config) throws Exception {
        Node node = open(config);
        List<SoftwareOutcome> out = node.software(node.master().nodeInfo(config.nodeId()), force);
        return report(out, "No software release is supplied to node " + config.nodeId() + ".",
                o -> o.kind() == SoftwareOutcome.Kind.FAILED);
    }
}
