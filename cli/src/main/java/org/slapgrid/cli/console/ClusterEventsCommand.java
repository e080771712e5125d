package org.slapgrid.cli.console;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterEvent;
import picocli.CommandLine.Command;

/** {@code slapos cluster events NAME [--json]}: the cluster's event log, oldest first. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "The cluster's event log, oldest first: every operation, refusal, hook result and automatic decision.")
public final class ClusterEventsCommand extends ClientCommand.Named<List<ClusterEvent>> {
    @Override
    List<ClusterEvent> call(SlapClient client) {
        return client.clusterEvents(name);
    }

    @Override
    void plain(List<ClusterEvent> events, PrintWriter out) {
        Table t = new Table("TIME", "KIND", "MESSAGE");
        for (ClusterEvent e : events) {
            t.row(Instant.ofEpochMilli(e.at()).toString(), e.kind(), e.message());
        }
        t.print(out);
    }
}
