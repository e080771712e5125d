package org.slapgrid.cli.console;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups verbs ({@code slapos cluster}, {@code token}, {@code compliance
 * ruleset}...): run without one, it prints its usage, the verbs listed. Public for the groups
 * outside this package.
 */
public abstract class GroupCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
