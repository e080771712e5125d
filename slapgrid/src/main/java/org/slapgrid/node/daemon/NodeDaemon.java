package org.slapgrid.node.daemon;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slapgrid.node.Node;
import org.slapgrid.node.instance.InstanceConverger;
import org.slapgrid.node.instance.PartitionOutcome;
import org.slapgrid.node.software.SoftwareOutcome;
import org.slapgrid.node.supervisor.CrashWatcher;
import org.slapgrid.slap.model.NodeInfo;

/**
 * {@code slapos node daemon}: software and instances, continuously. It long-polls the master, so
 * a requested change starts converging as soon as the master has it; after every poll (at most
 * {@code pollWait} apart) it converges, which skips unchanged partitions but runs their promises
 * and honours each partition's periodicity. When the master cannot be reached it keeps the
 * services running, says so, and retries with a capped exponential backoff. {@link #stop()}
 * (SIGTERM) ends it between two steps and leaves the services to supervisord, so a restarted
 * daemon takes them over without restarting them.
 */
public final class NodeDaemon {

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /**
     * After a round in which something failed, the next round waits this long, doubling up to
     * {@link #MAX_FAILURE_BACKOFF}: a failure is reported to the master, which changes the node's
     * data, which would end the next long-poll at once and retry in a hot loop.
     */
    private static final Duration FIRST_FAILURE_BACKOFF = Duration.ofSeconds(5);
    private static final Duration MAX_FAILURE_BACKOFF = Duration.ofMinutes(5);

    private final Node node;
    private final Duration pollWait;
    private final Consumer<String> log;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** One round at a time: the loop's and those asked through the control socket. */
    private final Object rounds = new Object();
    private volatile Thread worker;
    private volatile long iterations;

    public NodeDaemon(Node node, Duration pollWait, Consumer<String> log) {
        this.node = node;
        this.pollWait = pollWait;
        this.log = log;
    }

    /** How many convergence rounds have completed (for status and tests). */
    public long iterations() {
        return iterations;
    }

    /** Runs until {@link #stop()}. */
    public void run() {
        worker = Thread.currentThread();
        String nodeId = node.config().nodeId();
        log.accept("node " + nodeId + ": daemon started, master " + node.config().masterUrl());
        NodeInfo last = null;
        Duration backoff = Duration.ofSeconds(1);
        Duration failureBackoff = FIRST_FAILURE_BACKOFF;
        boolean unreachable = false;
        try (CrashWatcher ignored = node.watchCrashes();
             ControlSocket control = ControlSocket.listen(ControlSocket.pathFor(node.config()), this::askedRound, log)) {
            while (stopped.getCount() > 0) {
                try {
                    Optional<NodeInfo> changed = node.master().nodeInfo(nodeId, last == null ? -1 : last.version(),
                            last == null ? Duration.ZERO : pollWait);
                    if (unreachable) {
                        log.accept("node " + nodeId + ": the master answers again");
                        unreachable = false;
                    }
                    backoff = Duration.ofSeconds(1);
                    if (changed.isPresent()) {
                        last = changed.get();
                    }
                    if (stopped.getCount() == 0 || last == null) {
                        break;
                    }
                    boolean failed = converge(last, changed.isPresent());
                    iterations++;
                    if (failed) {
                        log.accept("node " + nodeId + ": something failed; next attempt in " + failureBackoff.toSeconds() + " s");
                        if (await(failureBackoff)) {
                            break;
                        }
                        failureBackoff = failureBackoff.multipliedBy(2).compareTo(MAX_FAILURE_BACKOFF) > 0
                                ? MAX_FAILURE_BACKOFF : failureBackoff.multipliedBy(2);
                    } else {
                        failureBackoff = FIRST_FAILURE_BACKOFF;
                    }
                } catch (RuntimeException e) {
                    if (stopped.getCount() == 0) {
                        break;
                    }
                    unreachable = true;
                    log.accept("node " + nodeId + ": " + e.getMessage() + "; services keep running; retrying in "
                            + backoff.toSeconds() + " s");
                    if (await(backoff)) {
                        break;
                    }
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (java.io.IOException e) {
            log.accept("node " + nodeId + ": cannot open the control socket: " + e.getMessage());
        }
        log.accept("node " + nodeId + ": daemon stopped; services left running under supervisord");
    }

    /** A round asked for by `slapos node instance` through the control socket. */
    private List<PartitionOutcome> askedRound(ControlSocket.Request request) {
        synchronized (rounds) {
            try {
                return node.instance(node.master().nodeInfo(node.config().nodeId()),
                        new InstanceConverger.Selection(request.force(), request.only()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** One round of software and instances; true when something failed. */
    private boolean converge(NodeInfo info, boolean changed) {
        synchronized (rounds) {
            return convergeLocked(info, changed);
        }
    }

    private boolean convergeLocked(NodeInfo info, boolean changed) {
        try {
            List<SoftwareOutcome> sw = node.software(info, false);
            sw.stream().filter(o -> o.kind() != SoftwareOutcome.Kind.ALREADY_BUILT).forEach(o -> log.accept(o.toString()));
            List<PartitionOutcome> out = node.instance(info, InstanceConverger.Selection.all());
            out.stream().filter(o -> changed || o.kind() != PartitionOutcome.Kind.SKIPPED).forEach(o -> log.accept(o.toString()));
            return sw.stream().anyMatch(o -> o.kind() == SoftwareOutcome.Kind.FAILED)
                    || out.stream().anyMatch(o -> o.kind() == PartitionOutcome.Kind.FAILED);
        } catch (java.io.IOException e) {
            log.accept("node " + node.config().nodeId() + ": " + e.getMessage());
            return true;
        }
    }

    /** Waits, or returns true at once when stopped meanwhile. */
    private boolean await(Duration d) {
        try {
            return stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Makes SIGTERM (JVM shutdown) stop the daemon cleanly: {@link #run()}, called next on this
     * thread, returns and the JVM waits up to 30 s for it, leaving the services to supervisord.
     */
    public NodeDaemon stopOnShutdown() {
        Thread runner = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop();
            try {
                runner.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sigterm"));
        return this;
    }

    /** Asks the daemon to stop; a long-poll in progress is interrupted. */
    public void stop() {
        stopped.countDown();
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }
}
