package org.slapgrid.node.supervisor;

/** The short waits of polling supervisord: an interrupt ends them with a SupervisorException (the flag kept). */
public final class Sleeps {
    private Sleeps() {
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SupervisorException("interrupted", e);
        }
    }
}
