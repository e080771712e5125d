package org.slapgrid.cli.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.NodeDeletion;
import org.slapgrid.slap.model.NodeSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos node list|disable|enable|share|unshare|delete}: the master's view of the nodes,
 * with the user's token (the admin, or a node's owner for disable/enable/share; delete is the
 * admin's alone).
 */
public final class NodeAdminCommands {
    private NodeAdminCommands() {
    }

    static int printNodes(ClientCommand cmd, List<NodeSummary> nodes) throws Exception {
        return cmd.listed(nodes, new Table("NODE", "OWNER", "STATE", "SHARED WITH", "PARTITIONS", "FREE", "LAST CONTACT"), n ->
                new Object[] {n.id(), n.owner(), n.disabled() ? "disabled" : "enabled",
                        n.sharedWith().isEmpty() ? null : String.join(",", n.sharedWith()), n.partitions(), n.freePartitions(),
                        n.lastContact() == null ? "never" : Instant.ofEpochMilli(n.lastContact()).toString()});
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the nodes at the master: every node for the admin, else yours and those shared with you.")
    public static final class ListNodes extends ClientCommand {
        @Override
        int run(SlapClient client) throws Exception {
            return printNodes(this, client.nodes());
        }
    }

    /** Disable and enable: one call, the flag differs. */
    abstract static class SetDisabled extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NODE", description = "the node id")
        String node;

        abstract boolean disabled();

        @Override
        int run(SlapClient client) throws Exception {
            return printNodes(this, List.of(client.setNodeDisabled(node, disabled())));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Give NODE no new instance (what it hosts stays). The admin or the node's owner.")
    public static final class Disable extends SetDisabled {
        @Override
        boolean disabled() {
            return true;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Let NODE take new instances again. The admin or the node's owner.")
    public static final class Enable extends SetDisabled {
        @Override
        boolean disabled() {
            return false;
        }
    }

    /** Share and unshare: one call, the direction differs. */
    abstract static class SetShared extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NODE", description = "the node id")
        String node;

        @Parameters(index = "1", paramLabel = "USER", description = "a user name, or '*' for every user")
        String user;

        abstract boolean shared();

        @Override
        int run(SlapClient client) throws Exception {
            if (shared()) {
                client.shareNode(node, user);
            } else {
                client.unshareNode(node, user);
            }
            return report(Map.of("node", node, "user", user, "shared", shared()),
                    node + (shared() ? " shared with " : " no longer shared with ") + user);
        }
    }

    @Command(name = "share", mixinStandardHelpOptions = true,
            description = "Let USER (or '*': every user) request instances on NODE. The admin or the node's owner.")
    public static final class Share extends SetShared {
        @Override
        boolean shared() {
            return true;
        }
    }

    @Command(name = "unshare", mixinStandardHelpOptions = true,
            description = "Withdraw a share of NODE (instances already there stay).")
    public static final class Unshare extends SetShared {
        @Override
        boolean shared() {
            return false;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Forget NODE at the master (admin only), for a node gone for good.",
                    "Its supplies, partitions, the instances it hosts (their children on other nodes are destroyed)",
                    "and its secret go."})
    public static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NODE", description = "the node id")
        String node;

        @Override
        int run(SlapClient client) throws Exception {
            NodeDeletion d = client.deleteNode(node);
            return report(d, "deleted node " + d.node() + " and the " + d.instances() + " instances it hosted");
        }
    }
}
