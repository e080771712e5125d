package org.slapgrid.cli.node;

import picocli.CommandLine.Command;

/** {@code slapos node ...}: what runs on a node. */
@Command(name = NodeCommand.NAME,
        mixinStandardHelpOptions = true,
        description = {NodeCommand.SUMMARY,
                "On a node: format its partitions, build its software, converge its instances.",
                "At the master (user token): list, disable, enable, share, unshare, delete."},
        subcommands = {
                NodeRegisterCommand.class,
                NodeFormatCommand.class,
                NodeSoftwareCommand.class,
                NodeInstanceCommand.class,
                NodeDaemonCommand.class,
                NodeStatusCommand.class,
                NodeBangCommand.class,
                NodeComplianceCommand.class,
                NodeServiceCommands.Supervisorctl.class,
                NodeServiceCommands.Start.class,
                NodeServiceCommands.Stop.class,
                NodeServiceCommands.Restart.class,
                NodeServiceCommands.Tail.class,
                org.slapgrid.cli.console.NodeAdminCommands.ListNodes.class,
                org.slapgrid.cli.console.NodeAdminCommands.Disable.class,
                org.slapgrid.cli.console.NodeAdminCommands.Enable.class,
                org.slapgrid.cli.console.NodeAdminCommands.Share.class,
                org.slapgrid.cli.console.NodeAdminCommands.Unshare.class,
                org.slapgrid.cli.console.NodeAdminCommands.Delete.class,
        })
public final class NodeCommand extends org.slapgrid.cli.console.GroupCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "node";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Commands run on a node, and the master's view of the nodes.";
}
