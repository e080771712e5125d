package org.slapgrid.cli.console;

import java.io.PrintWriter;
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
public final class UserCommand extends GroupCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "user";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Show or set what a user may do: register nodes, how many partitions it may hold.";

    /** A verb on USER whose one call answers the user's account, printed whole. */
    abstract static class OnUser extends ClientCommand.Answer<UserAccount> {
        @Parameters(index = "0", paramLabel = "USER")
        String user;

        @Override
        void plain(UserAccount a, PrintWriter out) {
            new Table("FIELD", "VALUE")
                    .row("user", a.name())
                    .row("may register nodes", a.mayRegisterNodes() ? "yes" : "no")
                    .row("partition quota", a.partitionQuota() == null ? a.defaultPartitionQuota() + " (default)" : a.partitionQuota())
                    .row("partitions used", a.partitionsUsed())
                    .print(out);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show what USER may do (the admin, or USER itself).")
    public static final class Show extends OnUser {
        @Override
        UserAccount call(SlapClient client) {
            return client.user(user);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Change what USER may do (admin only).")
    public static final class Set extends OnUser {
        @Option(names = "--may-register-nodes", arity = "0..1", paramLabel = "true|false",
                description = "let USER register nodes (or not, with =false)")
        Boolean mayRegisterNodes;

        @Option(names = "--partition-quota", paramLabel = "N", description = "at most N partitions (-1: the master's default)")
        Long quota;

        @Override
        UserAccount call(SlapClient client) {
            return client.updateUser(user, new AccountUpdate(mayRegisterNodes, quota));
        }
    }
}
