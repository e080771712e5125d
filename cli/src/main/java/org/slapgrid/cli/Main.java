package org.slapgrid.cli;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code slapos} command. Each verb lives in its own class; register it in {@link #VERBS}.
 * Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.
 *
 * <p>Start-up: picocli instantiates every registered command class, and the console verbs pull
 * in Jackson and the HTTP client, the master Javalin, and so on. So only the verb being run is
 * registered as itself; for {@code --help} or no verb the others are stand-ins
 * made from their {@code @Command} annotation (the class is loaded, not initialised or
 * instantiated), which is all the verb list of {@code --help} needs; {@code --version} registers
 * none. Picocli has no lazy subcommands of its own.
 */
@Command(name = "slapos",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "slapgrid: deploy buildout-style instance profiles on a fleet of nodes, under supervisord, driven by a master.")
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    /** The verbs, in the order {@code --help} lists them (class names: nothing loads until needed). */
    static final List<String> VERBS = List.of(
            "org.slapgrid.cli.master.MasterCommand",
            "org.slapgrid.cli.console.SupplyCommand",
            "org.slapgrid.cli.console.RequestCommand",
            "org.slapgrid.cli.console.RemoveCommand",
            "org.slapgrid.cli.console.ListCommand",
            "org.slapgrid.cli.console.InfoCommand",
            "org.slapgrid.cli.console.ConsoleCommand",
            "org.slapgrid.cli.console.TokenCommand",
            "org.slapgrid.cli.console.UserCommand",
            "org.slapgrid.cli.buildout.BuildoutCommand",
            "org.slapgrid.cli.node.NodeCommand",
            "org.slapgrid.cli.demo.DemoCommand");

    @CommandLine.Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this rather than main). */
    public static int run(String... args) {
        CommandLine cl = commandLine(args);
        // Bad usage (unknown option, missing parameter) is 2, as for bad input; anything else 1.
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
        return cl.execute(args);
    }

    /** The command line for {@code args}: the verb they name (and {@code help}'s) real, the others stand-ins. */
    static CommandLine commandLine(String... args) {
        List<String> words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).limit(2).toList();
        String verb = words.isEmpty() ? null : words.get(0);
        String helped = "help".equals(verb) && words.size() > 1 ? words.get(1) : verb;
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("help", CommandLine.HelpCommand.class);
        if (verb == null && java.util.Arrays.stream(args).anyMatch(a -> a.equals("-V") || a.equals("--version"))) {
            return cl; // the version needs no verb at all
        }
        for (String className : VERBS) {
            Class<?> type = load(className);
            Command c = type.getAnnotation(Command.class);
            if (c.name().equals(helped)) {
                cl.addSubcommand(c.name(), type);
            } else {
                CommandSpec standIn = CommandSpec.create().name(c.name());
                standIn.usageMessage().description(c.description());
                cl.addSubcommand(c.name(), standIn);
            }
        }
        return cl;
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, Main.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("slapos is built without its verb " + className, e);
        }
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
