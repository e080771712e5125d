package org.slapgrid.cli.console;

import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code slapos cluster switch NAME MEMBER}: OpenSVC's switch, moving the primary (a failover
 * cluster's active member, a flex cluster's primary) to MEMBER, a planned move (docs/tags.md).
 */
@Command(name = "switch", mixinStandardHelpOptions = true,
        description = "Move the primary (active) role to MEMBER (refused when MEMBER is not up).")
public final class ClusterSwitchCommand extends ClusterCommand.OnCluster {
    @Parameters(index = "1", paramLabel = "MEMBER", description = "e.g. db.1")
    String member;

    @Override
    ClusterInfo call(SlapClient client) {
        return client.switchCluster(name, member);
    }
}
