package org.slapgrid.cli.console;

import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.SupplyState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slapos supply URL NODE}: ask a node to install (or, with --destroy, remove) a software release. */
@Command(name = SupplyCommand.NAME, mixinStandardHelpOptions = true, description = SupplyCommand.SUMMARY)
public final class SupplyCommand extends ClientCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "supply";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Ask NODE to install the software release URL.";

    @Parameters(index = "0", paramLabel = "URL", description = "the software release (software.cfg URL or path)")
    String url;

    @Parameters(index = "1", paramLabel = "NODE", description = "the node id")
    String node;

    @Option(names = "--destroy", description = "ask the node to remove the release instead")
    boolean destroy;

    @Override
    int run(SlapClient client) throws Exception {
        SupplyState state = destroy ? SupplyState.DESTROYED : SupplyState.AVAILABLE;
        client.supply(url, node, state);
        return report(java.util.Map.of("url", url, "node", node, "state", state.json()),
                (destroy ? "removal of " : "supplied ") + url + (destroy ? " asked on " : " to ") + node);
    }
}
