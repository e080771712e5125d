package org.slapgrid.cli.node;

import java.util.List;
import java.util.concurrent.Callable;


import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Json;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigException;
import org.slapgrid.node.format.CurrentUserAccounts;
import org.slapgrid.node.format.NodeFormatter;
import org.slapgrid.node.format.Partition;
import org.slapgrid.node.format.UnixAccounts;
import org.slapgrid.node.limits.AddressGuard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slapos node format}: creates the partitions (users, directories, addresses). */
@Command(name = "format", mixinStandardHelpOptions = true,
        description = {"Create the node's partitions (users, directories, addresses).",
                "Create the node's partitions slappart0..N-1: as root a Unix user slapuserN per partition (user_base_name),",
                "a directory with mode 0750 owned by it, and its own loopback address, which only that",
                "user may send from (nftables table inet slapgrid-NODE, where nft is installed). Safe to run",
                "again: it changes only what is missing and never touches an instance's data."})
public final class NodeFormatCommand implements Callable<Integer> {

    @Mixin
    NodeConfigOption configOption;

    @Option(names = "--json", description = "Print the partitions as JSON.")
    boolean json;

    @Option(names = "--remove-confinement", description = {"Undo what format and the node set up in the kernel:",
            "delete the nftables table of partition addresses and the partitions' cgroups (refused while",
            "a partition still runs processes: stop them first). Nothing on disk is touched."})
    boolean removeConfinement;

    /** Deletes the address rules and the node's cgroups; exit 1 (and nothing removed) while partitions run. */
    private static int removeConfinement(NodeConfig config) throws java.io.IOException {
        if (config.multiUser()) {
            AddressGuard guard = new AddressGuard(config.nodeId());
            guard.remove();
            System.out.println("Removed the nftables table " + guard.table() + " (if there was one).");
        }
        var limiter = org.slapgrid.node.limits.PartitionLimiter.open(config);
        List<String> running = limiter.removeAllUnlessRunning(
                NodeFormatter.formatted(config).stream().map(Partition::id).toList());
        if (!running.isEmpty()) {
            System.err.println("slapos node format: partitions still run processes, their cgroups are kept: "
                    + String.join(", ", running) + " (stop the node's supervisord first)");
            return ExitCode.FAILURE;
        }
        System.out.println("Removed the partitions' cgroups (" + limiter.cgroups().availability().detail() + ").");
        return ExitCode.OK;
    }

    /** Tells the master about the partitions when the node is registered; says what happened. */
    private static String reportToMaster(NodeConfig config, NodeFormatter.Result result) {
        if (!java.nio.file.Files.isRegularFile(config.credentialsFile())) {
            return "Not reported to the master: the node is not registered yet (slapos node register).";
        }
        try {
            org.slapgrid.node.Node.masterClient(config).reportFormat(config.nodeId(),
                    result.partitions().stream().map(Partition::id).toList(), NodeFormatter.addresses(result.partitions()));
            return "Reported " + result.partitions().size() + " partitions to the master.";
        } catch (java.io.IOException | RuntimeException e) {
            return "Could not report the partitions to the master (run format again later): " + e.getMessage();
        }
    }

    /** Keeps each partition's address to its own user (nftables), where the machine allows; says what happened. */
    private static String enforceAddresses(NodeConfig config, NodeFormatter.Result result) throws java.io.IOException {
        if (!config.multiUser()) {
            return "Partition addresses: not enforced in single-user mode (every partition is the same user).";
        }
        AddressGuard guard = new AddressGuard(config.nodeId());
        guard.apply(result.partitions());
        return "Partition addresses: " + guard.describe() + ".";
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config;
        try {
            config = configOption.load();
        } catch (NodeConfigException e) {
            System.err.println("slapos node format: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (removeConfinement) {
            return removeConfinement(config);
        }
        var accounts = config.multiUser() ? new UnixAccounts(config.userBaseName()) : new CurrentUserAccounts();
        NodeFormatter.Result result;
        try {
            result = new NodeFormatter(config, accounts).format();
        } catch (NodeConfigException e) {
            System.err.println("slapos node format: " + e.getMessage());
            return ExitCode.USAGE;
        }
        String addresses = enforceAddresses(config, result);
        String reported = reportToMaster(config, result);
        if (json) {
            System.err.println(addresses);
            System.err.println(reported);
            System.out.println(Json.print(result.partitions()));
            return ExitCode.OK;
        }
        result.changes().forEach(c -> System.out.println("  " + c));
        System.out.printf("%-12s %-16s %-12s %s%n", "PARTITION", "ADDRESS", "USER", "DIRECTORY");
        for (Partition p : result.partitions()) {
            System.out.printf("%-12s %-16s %-12s %s%n", p.id(), p.ipv4(), p.user(), p.directory());
        }
        System.out.println(addresses);
        System.out.println(reported);
        System.out.println(result.changes().isEmpty() ? "Nothing to change: the node was already formatted."
                : "Formatted " + result.partitions().size() + " partitions.");
        return ExitCode.OK;
    }
}
