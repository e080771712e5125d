package org.slapgrid.node.instance;

import java.nio.file.Path;
import java.util.List;

import org.slapgrid.node.supervisor.PartitionPrograms;
import org.slapgrid.node.supervisor.Supervisor;
import org.slapgrid.slap.tags.TagRule;
import org.slapgrid.slap.tags.TagRules;

/** {@link PartitionServices} on the node's supervisord. */
public final class SupervisedServices implements PartitionServices {

    private final Supervisor supervisor;

    public SupervisedServices(Supervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public void apply(String partitionId, Path directory, String user, boolean started, List<String> enter,
                      List<TagRule> tagRules) {
        supervisor.ensureRunning();
        supervisor.update(programs(partitionId, directory, user, started, enter, tagRules));
    }

    @Override
    public boolean holdsChanged(String partitionId, Path directory, List<TagRule> tagRules) {
        java.util.Set<String> now = supervisor.held(partitionId);
        if (tagRules.isEmpty() && now.isEmpty()) {
            return false; // the common case: nothing stopped by tag, and nothing to read
        }
        return !programs(partitionId, directory, null, true, List.of(), tagRules).held().equals(now);
    }

    private static PartitionPrograms programs(String partitionId, Path directory, String user, boolean started,
                                              List<String> enter, List<TagRule> tagRules) {
        return PartitionPrograms.scan(partitionId, directory, user,
                started ? PartitionPrograms.DesiredState.STARTED : PartitionPrograms.DesiredState.STOPPED, enter)
                .holding(tags -> TagRules.stopped(tagRules, tags));
    }

    @Override
    public void remove(String partitionId) {
        supervisor.ensureRunning();
        supervisor.remove(partitionId);
    }
}
