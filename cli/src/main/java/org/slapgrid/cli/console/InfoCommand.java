package org.slapgrid.cli.console;

import org.slapgrid.cli.Main;
import org.slapgrid.slap.SlapClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code slapos info NAME}: one instance, its parameters and connection parameters. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show instance NAME with its parameters and connection parameters.")
public final class InfoCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    int run(SlapClient client) throws Exception {
        printInstance(client.info(name));
        return Main.EXIT_OK;
    }
}
