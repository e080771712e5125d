package org.slapgrid.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code slapos} command. Each verb lives in its own class; register it in
 * {@code subcommands} below. Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.
 */
@Command(name = "slapos",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "slapgrid: deploy buildout-style instance profiles on a fleet of nodes, under supervisord, driven by a master.",
        subcommands = {
                CommandLine.HelpCommand.class,
                org.slapgrid.cli.master.MasterCommand.class, org.slapgrid.cli.console.SupplyCommand.class, org.slapgrid.cli.console.RequestCommand.class, org.slapgrid.cli.console.RemoveCommand.class, org.slapgrid.cli.console.ListCommand.class, org.slapgrid.cli.console.InfoCommand.class, org.slapgrid.cli.console.ConsoleCommand.class,
                org.slapgrid.cli.console.TokenCommand.class, org.slapgrid.cli.console.UserCommand.class,
                org.slapgrid.cli.buildout.BuildoutCommand.class,
                org.slapgrid.cli.node.NodeCommand.class,
                org.slapgrid.cli.demo.DemoCommand.class,
        })
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this rather than main). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Bad usage (unknown option, missing parameter) is 2, as for bad input; anything else 1.
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"slapos (slapgrid) " + (v == null ? "development build" : v)};
        }
    }
}
