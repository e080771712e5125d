package org.slapgrid.cli.console;

import java.io.PrintWriter;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterStatus;
import picocli.CommandLine.Command;

/** {@code slapos cluster status NAME [--json]}: the status tree, cluster → members → services and promises. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "The cluster's status tree as OpenSVC prints it: overall, avail (services), accessory (promises),"
                + " per member and for the cluster (up + down = warn; n/a is neutral; a flex role under its minimum: warn).")
public final class ClusterStatusCommand extends ClientCommand.Named<ClusterStatus> {
    @Override
    ClusterStatus call(SlapClient client) {
        return client.clusterStatus(name);
    }

    @Override
    void plain(ClusterStatus s, PrintWriter out) {
        out.println(s.cluster() + " (" + s.topology() + ")");
        out.println("|- overall    " + s.overall());
        out.println("|- avail      " + s.avail());
        out.println("|- accessory  " + s.accessory());
        for (ClusterStatus.Member m : s.members()) {
            out.println("`- " + m.name() + " on " + (m.node() == null ? "?" : m.node()) + "  overall " + m.overall()
                    + ", avail " + m.avail() + ", accessory " + m.accessory());
            for (ClusterStatus.Item i : m.services()) {
                out.println("   |- service " + i.name() + "  " + i.status() + "  " + i.detail());
            }
            for (ClusterStatus.Item i : m.promises()) {
                out.println("   |- promise " + i.name() + "  " + i.status() + "  " + i.detail());
            }
        }
        for (String note : s.notes()) {
            out.println("note: " + note);
        }
    }
}
