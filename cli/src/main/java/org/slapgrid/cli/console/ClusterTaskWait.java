package org.slapgrid.cli.console;

import java.time.Duration;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterTask;
import picocli.CommandLine.Option;

/**
 * The one wait of the cluster verbs whose operation runs at the master while the nodes do their
 * part (backup, restore, rolling restart, resize, disks): until the cluster's task is NONE again,
 * then exit 1 when it is still running at the timeout or ended with an error, printing why.
 */
final class ClusterTaskWait {
    /** How often the master's answer is read ({@link TaskWait}). */
    private static final Duration POLL = Duration.ofMillis(250);

    private ClusterTaskWait() {
    }

    /** A verb that waits for the task it started, with {@code --no-wait} and {@code --timeout}. */
    abstract static class Verb extends ClientCommand {
        @Option(names = "--no-wait", description = "return once the master started it, while it runs")
        boolean noWait;

        @Option(names = "--timeout", paramLabel = "SECONDS",
                description = "how long to wait for it to end (default: 3600 for backup, restore and restart, 900 for resize and disks)")
        Long timeoutSeconds;

        /** The wait when {@code --timeout} is not given. */
        abstract Duration defaultTimeout();

        Duration timeout() {
            return timeoutSeconds == null ? defaultTimeout() : Duration.ofSeconds(timeoutSeconds);
        }

        /** Waits (unless {@code --no-wait}) from {@code c}: the cluster as its task ended (or the wait did), else {@code c}. */
        ClusterInfo waited(SlapClient client, ClusterInfo c) throws InterruptedException {
            return noWait ? c : until(client, c, timeout());
        }

        /** OK, or a failure printed: still busy after the timeout, or its last error (nothing with --no-wait). */
        int outcome(ClusterInfo c) {
            return noWait ? ExitCode.OK : ClusterTaskWait.outcome(this, c, timeout());
        }
    }

    /** Polls cluster {@code c} until its task is NONE or {@code timeout} passed. */
    static ClusterInfo until(SlapClient client, ClusterInfo c, Duration timeout) throws InterruptedException {
        return TaskWait.until(c, x -> x.task() == ClusterTask.NONE, () -> client.cluster(c.name()), POLL, timeout);
    }

    /** The exit status of a waited task: 1, printed, when it is still running or ended with an error. */
    static int outcome(ClientCommand cmd, ClusterInfo c, Duration timeout) {
        if (c.task() != ClusterTask.NONE) {
            return TaskWait.stillRunning(cmd, "", c.task(), timeout, "slapos cluster events " + c.name());
        }
        if (c.lastError() != null) {
            return cmd.failure(c.lastError());
        }
        return ExitCode.OK;
    }
}
