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
    public void apply(String partitionId, Path directory, String user, boolean started, List<String> enter) {
        supervisor.ensureRunning();
        supervisor.update(PartitionPrograms.scan(partitionId, directory, user,
                started ? PartitionPrograms.DesiredState.STARTED : PartitionPrograms.DesiredState.STOPPED, enter));
    }

    @Override
    public void remove(String partitionId) {
        supervisor.ensureRunning();
        supervisor.remove(partitionId);
    }
}
