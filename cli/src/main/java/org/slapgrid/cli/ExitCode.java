package org.slapgrid.cli;

/**
 * The exit statuses of every {@code slapos} command (design section 7). Commands return these
 * from picocli's {@code call()}; they live apart from {@link Main} so that no command imports the
 * entry point back. A broken promise, an unreachable master or a refused cluster operation is a
 * {@link #FAILURE}; only what the user typed or gave (an option, a profile, a JSON document) is
 * {@link #USAGE}.
 */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command was understood but did not succeed. */
    public static final int FAILURE = 1;
    /** Bad usage or bad input: an unknown option, a malformed profile, bad JSON. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
