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
 * in Jackson and the HTTP client, the master Javalin, and so on; building each model costs
 * time too. So only the verb being run is registered; for {@code --help} or no verb every verb
 * is a stand-in made from its {@code @Command} annotation (the class is loaded, not initialised
 * or instantiated), which is all the verb list of {@code --help} needs; {@code --version}
 * registers none. Picocli has no lazy subcommands of its own.
 */
@Command(name = "slapos",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "slapgrid: deploy buildout-style instance profiles on a fleet of nodes, under supervisord, driven by a master.")
public final class Main implements Runnable {

    /** A verb: its name (as in its {@code @Command}; {@code MainTest} checks) and its class, by name. */
    record Verb(String name, String className) {
    }

    /** The verbs, in the order {@code --help} lists them (class names: nothing loads until needed). */
    static final List<Verb> VERBS = List.of(
            new Verb("master", "org.slapgrid.cli.master.MasterCommand"),
            new Verb("supply", "org.slapgrid.cli.console.SupplyCommand"),
            new Verb("request", "org.slapgrid.cli.console.RequestCommand"),
            new Verb("remove", "org.slapgrid.cli.console.RemoveCommand"),
            new Verb("list", "org.slapgrid.cli.console.ListCommand"),
            new Verb("info", "org.slapgrid.cli.console.InfoCommand"),
            new Verb("console", "org.slapgrid.cli.console.ConsoleCommand"),
            new Verb("token", "org.slapgrid.cli.console.TokenCommand"),
            new Verb("user", "org.slapgrid.cli.console.UserCommand"),
            new Verb("cluster", "org.slapgrid.cli.console.ClusterCommand"),
            new Verb("compliance", "org.slapgrid.cli.console.ComplianceCommand"),
            new Verb("instance", "org.slapgrid.cli.console.TagActionCommands$InstanceCommand"),
            new Verb("lifecycle", "org.slapgrid.cli.console.LifecycleCommand"),
            new Verb("buildout", "org.slapgrid.cli.buildout.BuildoutCommand"),
            new Verb("node", "org.slapgrid.cli.node.NodeCommand"),
            new Verb("demo", "org.slapgrid.cli.demo.DemoCommand"));

    @CommandLine.Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this rather than main). */
    public static int run(String... args) {
        CommandLine cl = commandLine(args);
        // Bad usage (unknown option, missing parameter) is 2, as for bad input; anything else 1.
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCode.USAGE : ExitCode.FAILURE);
        return cl.execute(args);
    }

    /**
     * The command line for {@code args}: only the verb they name when there is one (the others
     * are never reached), else {@code help} and every verb as a stand-in, the one {@code help}
     * names real.
     */
    static CommandLine commandLine(String... args) {
        List<String> words = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).limit(2).toList();
        String verb = words.isEmpty() ? null : words.get(0);
        CommandLine cl = new CommandLine(new Main());
        for (Verb v : VERBS) {
            if (v.name().equals(verb)) {
                cl.addSubcommand(v.name(), load(v.className()));
                return cl;
            }
        }
        cl.addSubcommand("help", CommandLine.HelpCommand.class);
        if (verb == null && java.util.Arrays.stream(args).anyMatch(a -> a.equals("-V") || a.equals("--version"))) {
            return cl; // the version needs no verb at all
        }
        String helped = "help".equals(verb) && words.size() > 1 ? words.get(1) : null;
        for (Verb v : VERBS) {
            Class<?> type = load(v.className());
            if (v.name().equals(helped)) {
                cl.addSubcommand(v.name(), type);
            } else {
                CommandSpec standIn = CommandSpec.create().name(v.name());
                standIn.usageMessage().description(type.getAnnotation(Command.class).description());
                cl.addSubcommand(v.name(), standIn);
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
