package org.slapgrid.node.instance;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;

/**
 * Sends a partition's report to the master once. A report is dropped when the master already
 * shows it (the node document carries the observed state, fresh: a report bumps the node's
 * version) or when this process already sent it and the document has not caught up yet. So an
 * idle node sends nothing, and a restarted node does not repeat what the master has.
 */
public final class ReportSender {

    /** What was last sent for a partition: its instance, the timestamp answered, state and message. */
    private record Sent(String instanceId, long timestamp, InstanceState state, String message) {
    }

    private final SlapClient master;
    private final String nodeId;
    private final Consumer<String> log;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    public ReportSender(SlapClient master, String nodeId, Consumer<String> log) {
        this.master = master;
        this.nodeId = nodeId;
        this.log = log;
    }

    /** Reports {@code r}'s state on {@code instance} as the master last described it, unless already reported. */
    public void send(String partition, Instance instance, Reconciled r) {
        if (r.state() == null || instance == null) {
            return;
        }
        String message = r.message() == null ? "" : r.message();
        Sent now = new Sent(instance.id(), instance.timestamp(), r.state(), message);
        if (now.equals(sent.get(partition)) || alreadyAtMaster(instance, r.state(), message)) {
            return;
        }
        try {
            master.reportInstance(nodeId, partition, r.state(), message, instance.timestamp());
            sent.put(partition, now);
        } catch (RuntimeException e) {
            log.accept(partition + ": could not report " + r.state().json() + " to the master: " + e.getMessage());
        }
    }

    private static boolean alreadyAtMaster(Instance i, InstanceState state, String message) {
        if (state == InstanceState.DESTROYED) {
            return false; // the master forgets a destroyed instance: never in its document
        }
        return state == i.reportedState() && Objects.equals(i.reportedTimestamp(), i.timestamp())
                && (state != InstanceState.ERROR || message.equals(i.errorLog()));
    }
}
