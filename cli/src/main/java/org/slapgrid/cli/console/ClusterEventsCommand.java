package org.slapgrid.cli.console;

import java.time.Instant;
import java.util.List;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code slapos cluster events NAME [--json]}: the cluster's event log, oldest first. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "The cluster's event log, oldest first: every operation, refusal, hook result and automatic decision.")
public final class ClusterEventsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    int run(SlapClient client) throws Exception {
        List<ClusterEvent> events = client.clusterEvents(name);
        if (json()) {
            printJson(events);
            return ExitCode.OK;
        }
        Table t = new Table("TIME", "KIND", "MESSAGE");
        for (ClusterEvent e : events) {
            t.row(Instant.ofEpochMilli(e.at()).toString(), e.kind(), e.message());
        }
        t.print(out());
        out().flush();
        return ExitCode.OK;
    }
}
