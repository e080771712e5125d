package org.slapgrid.master.ui;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.PartitionInfo;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.RequestedState;

/**
 * A stand-in node daemon for the master's UI tests: it speaks the real slap protocol over HTTP
 * with its node secret (long-polls its node information, reports each instance's state with the
 * timestamp it answers and a status tree, publishes connection parameters, reports destruction), taking
 * {@code applyTime} to "apply" each change so a page can show the change pending first.
 */
final class FakeNode implements AutoCloseable {
    private final SlapClient node;
    private final String nodeId;
    private final Duration applyTime;
    private final Map<String, Object> connection;
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    FakeNode(SlapClient node, String nodeId, Duration applyTime, Map<String, Object> connection) {
        this.node = node;
        this.nodeId = nodeId;
        this.applyTime = applyTime;
        this.connection = connection;
        this.thread = new Thread(this::run, "fake-node-" + nodeId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long version = -1;
        while (!closed) {
            try {
                Optional<NodeInfo> info = version < 0 ? Optional.of(node.nodeInfo(nodeId))
                        : node.nodeInfo(nodeId, version, Duration.ofSeconds(2));
                if (info.isEmpty()) {
                    continue;
                }
                version = info.get().version();
                for (PartitionInfo p : info.get().partitions()) {
                    if (p.instance() != null) {
                        converge(p.id(), p.instance());
                    }
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                version = -1; // start over, as a daemon does after an error
            }
        }
    }

    private void converge(String partition, Instance i) {
        Long done = applied.get(i.id());
        if (done != null && done == i.timestamp()) {
            return;
        }
        pause();
        if (i.requestedState() == RequestedState.DESTROYED) {
            node.reportInstance(nodeId, partition, InstanceState.DESTROYED, null);
        } else {
            node.publishConnection(nodeId, partition, connection);
            node.reportStatus(nodeId, partition, new PartitionStatus(
                    List.of(new PartitionStatus.Service("mariadbd", "RUNNING", 4242, System.currentTimeMillis() / 1000, 0)),
                    List.of(new PartitionStatus.Promise("mariadb-alive", true, "mysqladmin ping: mysqld is alive")), null, null));
            node.reportInstance(nodeId, partition, i.requestedState() == RequestedState.STARTED ? InstanceState.STARTED
                    : InstanceState.STOPPED, null, i.timestamp());
        }
        applied.put(i.id(), i.timestamp());
    }

    /** The time a real node takes to run buildout and restart services; the fake's only wait. */
    private void pause() {
        try {
            Thread.sleep(applyTime.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
