package org.slapgrid.cli.node;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.node.Node;
import org.slapgrid.node.config.NodeConfig;
import org.slapgrid.node.config.NodeConfigException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every {@code slapos node} verb shares: the {@code --config} option, loading the node, and
 * turning errors into one clear line and an exit status (2 for bad configuration, 1 otherwise).
 */
abstract class NodeVerb implements Callable<Integer> {

    @Mixin
    NodeConfigOption configOption;

    @Spec
    CommandSpec spec;

    /** The verb's work, with the configuration loaded. */
    abstract int run(NodeConfig config) throws Exception;

    @Override
    public final Integer call() {
        String name = "slapos node " + spec.name();
        try {
            return run(configOption.load());
        } catch (NodeConfigException | IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            return ExitCode.USAGE;
        } catch (Exception e) {
            System.err.println(name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCode.FAILURE;
        }
    }

    static Node open(NodeConfig config) throws java.io.IOException {
        return Node.open(config, line -> System.out.println(line));
    }

    /**
     * Prints a round's outcomes, one a line, or {@code none} when there is none; the exit
     * status: 1 when {@code failed} holds for one of them.
     */
    static <T> int report(List<T> outcomes, String none, Predicate<T> failed) {
        outcomes.forEach(o -> System.out.println(o));
        if (outcomes.isEmpty()) {
            System.out.println(none);
        }
        return outcomes.stream().anyMatch(failed) ? ExitCode.FAILURE : ExitCode.OK;
    }
}
