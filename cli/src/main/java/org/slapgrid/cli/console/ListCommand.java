package org.slapgrid.cli.console;

import java.util.List;
import org.slapgrid.cli.ExitCode;
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
        List<Instance> all = client.list();
        if (json()) {
            printJson(all);
            return ExitCode.OK;
        }
        Table t = new Table("NAME", "STATE", "PARTITION", "TYPE", "SOFTWARE", "REQUESTED BY");
        for (Instance i : all) {
            t.row(i.name(), state(i), where(i), i.softwareType(), i.softwareUrl(),
                    i.parent() == null ? i.requester() : "instance " + i.parent());
        }
        t.print(out());
        return ExitCode.OK;
    }
}
