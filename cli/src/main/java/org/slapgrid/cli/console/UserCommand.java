package org.slapgrid.cli.console;

import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.AccountUpdate;
import org.slapgrid.slap.model.UserAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slapos user show|set}: what the admin allows a user (registering nodes, its partition quota). */
@Command(name = UserCommand.NAME, mixinStandardHelpOptions = true,
        description = UserCommand.SUMMARY,
        subcommands = {UserCommand.Show.class, UserCommand.Set.class})
public final class UserCommand implements Runnable {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "user";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Show or set what a user may do: register nodes, how many partitions it may hold.";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static void print(ClientCommand cmd, UserAccount a) throws Exception {
        if (cmd.json()) {
            cmd.printJson(a);
            return;
        }
        new Table("FIELD", "VALUE")
                .row("user", a.name())
                .row("may register nodes", a.mayRegisterNodes() ? "yes" : "no")
                .row("partition quota", a.partitionQuota() == null ? a.defaultPartitionQuota() + " (default)" : a.partitionQuota())
                .row("partitions used", a.partitionsUsed())
                .print(cmd.out());
        cmd.out().flush();
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show what USER may do (the admin, or USER itself).")
    public static final class Show extends ClientCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Override
        int run(SlapClient client) throws Exception {
            print(this, client.user(user));
            return ExitCode.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change what USER may do (admin only).")
    public static final class Set extends ClientCommand {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Option(names = "--may-register-nodes", arity = "0..1", paramLabel = "true|false",
                description = "let USER register nodes (or not, with =false)")
        Boolean mayRegisterNodes;

        @Option(names = "--partition-quota", paramLabel = "N", description = "at most N partitions (-1: the master's default)")
        Long quota;

        @Override
        int run(SlapClient client) throws Exception {
            print(this, client.updateUser(user, new AccountUpdate(mayRegisterNodes, quota)));
            return ExitCode.OK;
        }
    }
}
