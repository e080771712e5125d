package org.slapgrid.cli.console;

import java.io.PrintWriter;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.DeletionPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos cluster deletion-policy NAME [--criteria C] [--hook-timeout S] [--webhook URL]}:
 * shows the policy, or sets what is given (docs/clusters.md, "Lifecycle hooks").
 */
@Command(name = "deletion-policy", mixinStandardHelpOptions = true,
        description = "Show or set which members a scale-in removes first, how long a leaving member may drain"
                + " (its lifecycle hook), and a webhook notified of each removal.")
final class ClusterDeletionPolicyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--criteria", paramLabel = "OLDEST_FIRST|YOUNGEST_FIRST|RANDOM",
            description = "the order members are chosen in (members in error always first)")
    DeletionPolicy.Criteria criteria;

    @Option(names = "--hook-timeout", paramLabel = "SECONDS",
            description = "how long a leaving member may take to complete its lifecycle hook (0: no hook)")
    Integer hookTimeout;

    @Option(names = "--webhook", paramLabel = "URL", description = "also POST each notification there, signed"
            + " (X-Slapgrid-Signature: sha256=HMAC); '' removes it")
    String webhook;

    @Override
    int run(SlapClient client) throws Exception {
        boolean set = criteria != null || hookTimeout != null || webhook != null;
        DeletionPolicy p = set ? client.setDeletionPolicy(name, new DeletionPolicy(criteria, hookTimeout, webhook, null))
                : client.deletionPolicy(name);
        return show(p, ClusterDeletionPolicyCommand::plain);
    }

    private static void plain(DeletionPolicy p, PrintWriter out) {
        Table t = new Table("FIELD", "VALUE")
                .row("criteria", p.criteria())
                .row("hook timeout", p.hookTimeout() + " s")
                .row("webhook", p.webhookUrl() == null ? "(none)" : p.webhookUrl());
        if (p.webhookSecret() != null) {
            t.row("webhook secret", p.webhookSecret() + "  (shown once: keep it to check X-Slapgrid-Signature)");
        }
        t.print(out);
    }
}
