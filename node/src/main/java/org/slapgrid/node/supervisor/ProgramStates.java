package org.slapgrid.node.supervisor;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slapgrid.node.supervisor.crash.RestartDuty;
import org.slapgrid.node.supervisor.rpc.ProcessInfo;
import org.slapgrid.node.supervisor.rpc.ProcessState;
import org.slapgrid.node.supervisor.rpc.SupervisorClient;
import org.slapgrid.node.supervisor.rpc.XmlRpcFault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the programs of the given partitions in the state their partition should be in. Starts
 * the watched programs of started partitions that are STOPPED (never started, or stopped by
 * hand), and stops every program of stopped partitions and every held one (stopped on purpose
 * by tag). Programs that EXITED or are FATAL are left to the crash watcher when one runs (it
 * restarts them with backoff and reports them); without one (a one-shot node run) they are
 * started here, as SlapOS does.
 */
final class ProgramStates {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramStates.class);

    private final SupervisorClient client;
    private final ProgramGroups groups;
    private final RestartDuty restartDuty;

    ProgramStates(SupervisorClient client, ProgramGroups groups, RestartDuty restartDuty) {
        this.client = client;
        this.groups = groups;
        this.restartDuty = restartDuty;
    }

    /** Adds the names of the programs it started and stopped to {@code started} and {@code stopped}. */
    void enforce(Map<String, Supervisor.Managed> managed, Set<String> partitionIds, List<String> started,
                 List<String> stopped) {
        if (partitionIds.isEmpty()) {
            return;
        }
        for (ProcessInfo info : client.getAllProcessInfo()) {
            Supervisor.Managed m = managed.get(info.group());
            if (m == null || !partitionIds.contains(m.spec().partitionId())) {
                continue;
            }
            if (m.partitionState() == PartitionPrograms.DesiredState.STARTED && m.spec().held()) {
                if (info.state().isRunningState()) { // stopped on purpose: stopped, never started
                    groups.stopQuietly(m.spec().name());
                    stopped.add(m.spec().name());
                }
            } else if (m.partitionState() == PartitionPrograms.DesiredState.STARTED) {
                boolean down = info.state() == ProcessState.STOPPED
                        || (info.state().isEnded() && !restartDuty.driven());
                if (m.spec().kind() == ProgramSpec.Kind.WATCHED && down) {
                    try {
                        client.startProcess(m.spec().spec(), false);
                        started.add(m.spec().name());
                    } catch (XmlRpcFault f) {
                        if (f.faultCode() != XmlRpcFault.ALREADY_STARTED) {
                            LOG.warn("cannot start {}: {}", m.spec().name(), f.faultString());
                        }
                    }
                }
            } else if (info.state().isRunningState()) {
                groups.stopQuietly(m.spec().name());
                stopped.add(m.spec().name());
            }
        }
    }
}
