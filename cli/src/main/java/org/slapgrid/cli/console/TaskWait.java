package org.slapgrid.cli.console;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The console's one wait for something the master runs while nodes do their part (a cluster's
 * task, a compliance run): poll its answer until it ended or the timeout passed, and say so
 * when it did not. The CLI has no event stream and a person is waiting, hence polling at a
 * short period. Used by {@link ClusterTaskWait} and {@link ComplianceRunCommands}.
 */
final class TaskWait {
    private TaskWait() {
    }

    /** {@code current} re-read with {@code poll} every {@code every} until {@code ended}, or {@code timeout} passed. */
    static <T> T until(T current, Predicate<T> ended, Supplier<T> poll, Duration every, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!ended.test(current) && System.nanoTime() - end < 0) {
            Thread.sleep(every.toMillis());
            current = poll.get();
        }
        return current;
    }

    /** Exit 1, printed: "{@code what} still {@code state} after N s; `{@code follow}` follows it". */
    static int stillRunning(ClientCommand cmd, String what, Object state, Duration timeout, String follow) {
        return cmd.failure((what.isEmpty() ? "" : what + " ") + "still " + state + " after " + timeout.toSeconds()
                + " s; `" + follow + "` follows it");
    }
}
