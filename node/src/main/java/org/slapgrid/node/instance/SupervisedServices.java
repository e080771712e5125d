package org.slapgrid.node.instance;

import java.nio.file.Path;
import java.util.List;

import org.slapgrid.node.supervisor.PartitionPrograms;
import org.slapgrid.node.supervisor.Supervisor;

/** {@link PartitionServices} on the node's supervisord. */
public final class SupervisedServices implements PartitionServices {

    private final Supervisor supervisor;

    public SupervisedServices(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public void apply(String partitionId, Path directory, String user, boolean started, List<String> enter,
                      ServiceHolds holds) {
        supervisor.ensureRunning();
        supervisor.update(programs(partitionId, directory, user, started, enter, holds));
    }

    @Override
    public boolean holdsChanged(String partitionId, Path directory, ServiceHolds holds) {
        java.util.Set<String> now = supervisor.held(partitionId);
        if (holds.none() && now.isEmpty()) {
            return false; // the common case: nothing stopped on purpose, and nothing to read
        }
        return !programs(partitionId, directory, null, true, List.of(), holds).held().equals(now);
    }

    private static PartitionPrograms programs(String partitionId, Path directory, String user, boolean started,
                                              List<String> enter, ServiceHolds holds) {
        return PartitionPrograms.scan(partitionId, directory, user,
                started ? PartitionPrograms.DesiredState.STARTED : PartitionPrograms.DesiredState.STOPPED, enter)
                .holding(holds::held);
    }

    @Override
    public void remove(String partitionId) {
        supervisor.ensureRunning();
        supervisor.remove(partitionId);
    }
}
