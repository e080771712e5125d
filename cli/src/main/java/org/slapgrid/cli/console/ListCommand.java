package org.slapgrid.cli.console;

import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import picocli.CommandLine.Command;

/** {@code slapos list}: your instances and their children. */
@Command(name = ListCommand.NAME, mixinStandardHelpOptions = true, description = ListCommand.SUMMARY)
public final class ListCommand extends ClientCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "list";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "List your instances (with the instances they requested).";

    @Override
    int run(SlapClient client) throws Exception {
        return listed(client.list(), new Table("NAME", "STATE", "PARTITION", "TYPE", "SOFTWARE", "REQUESTED BY"), (Instance i) ->
                new Object[] {i.name(), state(i), where(i), i.softwareType(), i.softwareUrl(),
                        i.parent() == null ? i.requester() : "instance " + i.parent()});
    }
}
