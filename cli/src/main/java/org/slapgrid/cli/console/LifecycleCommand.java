package org.slapgrid.cli.console;

import java.util.List;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.LifecycleNotification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos lifecycle wait|complete} (docs/clusters.md, "Lifecycle hooks"): for a member's
 * own scripts (with its instance secret, as {@code SLAPOS_TOKEN}) or its owner.
 */
@Command(name = LifecycleCommand.NAME, mixinStandardHelpOptions = true,
        description = LifecycleCommand.SUMMARY,
        subcommands = {LifecycleCommand.Wait.class, LifecycleCommand.Complete.class})
public final class LifecycleCommand extends GroupCommand {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "lifecycle";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Lifecycle hooks of cluster members: wait for a termination notice, complete it once drained.";

    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = "Wait (with the member's instance secret) until this member is chosen for removal; print the"
                    + " notification's token (or JSON with --json). Exit 1 when none came within --timeout.")
    static final class Wait extends ClientCommand {
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "longest wait (default 3600)")
        int timeout = 3600;

        @Override
        int run(SlapClient client) throws Exception {
            long deadline = System.nanoTime() + timeout * 1_000_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000_000L;
                List<LifecycleNotification> n = client.lifecycleQueue((int) Math.max(0, Math.min(20, left)));
                if (!n.isEmpty()) {
                    return report(n.get(0), n.get(0).lifecycleActionToken());
                }
                if (left <= 0) {
                    return failure("no lifecycle notification within " + timeout + " s");
                }
            }
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = "Complete a lifecycle hook: the member is then destroyed. Only its own token, once.")
    static final class Complete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "TOKEN")
        String token;

        @Option(names = "--cluster", paramLabel = "NAME", description = "the cluster (default: the one in the member's"
                + " notification; required with a user's token)")
        String cluster;

        @Override
        int run(SlapClient client) throws Exception {
            String name = cluster;
            if (name == null) {
                name = client.lifecycleQueue(0).stream().filter(n -> n.lifecycleActionToken().equals(token))
                        .map(LifecycleNotification::cluster).findFirst().orElse(null);
                if (name == null) {
                    return usage("give --cluster NAME (the token is not in this instance's queue)");
                }
            }
            client.completeLifecycle(name, token);
            return report(java.util.Map.of("completed", true, "cluster", name),
                    "lifecycle hook completed: the member of cluster " + name + " is being removed");
        }
    }
}
