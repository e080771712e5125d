package org.slapgrid.cli.console;

import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code slapos remove NAME}: ask for the destruction of an instance and its children. */
@Command(name = RemoveCommand.NAME, mixinStandardHelpOptions = true,
        description = RemoveCommand.SUMMARY)
public final class RemoveCommand extends ClientCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "remove";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Destroy instance NAME (and its children); its partition is freed once its node has destroyed it.";

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    int run(SlapClient client) throws Exception {
        Instance i = client.remove(name);
        return report(i, "destruction of " + name + " requested" + (where(i) == null ? "" : " (" + where(i) + ")"));
    }
}
