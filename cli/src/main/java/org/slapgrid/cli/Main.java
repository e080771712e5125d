package org.slapgrid.cli;

import java.util.List;

import org.slapgrid.cli.buildout.BuildoutCommand;
import org.slapgrid.cli.buildout.BuildoutRun;
import org.slapgrid.cli.console.ClusterCommand;
import org.slapgrid.cli.console.ComplianceCommand;
import org.slapgrid.cli.console.ConsoleCommand;
import org.slapgrid.cli.console.InfoCommand;
import org.slapgrid.cli.console.LifecycleCommand;
import org.slapgrid.cli.console.ListCommand;
import org.slapgrid.cli.console.RemoveCommand;
import org.slapgrid.cli.console.RequestCommand;
import org.slapgrid.cli.console.SupplyCommand;
import org.slapgrid.cli.console.TagActionCommands;
import org.slapgrid.cli.console.TokenCommand;
import org.slapgrid.cli.console.UserCommand;
import org.slapgrid.cli.demo.DemoCommand;
import org.slapgrid.cli.master.MasterCommand;
import org.slapgrid.cli.node.NodeCommand;

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
 * is a stand-in made from its name and summary (the class is not even loaded), which is all the
 * verb list of {@code help} needs. Picocli has no lazy subcommands of its own. {@code --version},
 * {@code --help} and a plain {@code buildout} install do not use picocli at all ({@link #fastPath}).
 */
@Command(name = "slapos",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = Main.DESCRIPTION)
public final class Main implements Runnable {

    /**
     * A verb: its name, its class by name and its summary, the first line of its description.
     * The name and the summary are the command's {@code NAME} and {@code SUMMARY} constants,
     * which its {@code @Command} uses too, so each has one owner; javac copies a constant into
     * the class that reads it, so {@code --help} lists them without loading any command class
     * or reading any annotation.
     */
    record Verb(String name, String className, String summary) {
    }

    /** The description of {@code slapos} itself (its {@code @Command}'s, and {@link TopHelp}'s). */
    static final String DESCRIPTION =
            "slapgrid: deploy buildout-style instance profiles on a fleet of nodes, under supervisord, driven by a master.";

    /** The verbs, in the order {@code --help} lists them (class names: nothing loads until needed). */
    static final List<Verb> VERBS = List.of(
            new Verb(MasterCommand.NAME, "org.slapgrid.cli.master.MasterCommand",
                    MasterCommand.SUMMARY),
            new Verb(SupplyCommand.NAME, "org.slapgrid.cli.console.SupplyCommand",
                    SupplyCommand.SUMMARY),
            new Verb(RequestCommand.NAME, "org.slapgrid.cli.console.RequestCommand",
                    RequestCommand.SUMMARY),
            new Verb(RemoveCommand.NAME, "org.slapgrid.cli.console.RemoveCommand",
                    RemoveCommand.SUMMARY),
            new Verb(ListCommand.NAME, "org.slapgrid.cli.console.ListCommand",
                    ListCommand.SUMMARY),
            new Verb(InfoCommand.NAME, "org.slapgrid.cli.console.InfoCommand",
                    InfoCommand.SUMMARY),
            new Verb(ConsoleCommand.NAME, "org.slapgrid.cli.console.ConsoleCommand",
                    ConsoleCommand.SUMMARY),
            new Verb(TokenCommand.NAME, "org.slapgrid.cli.console.TokenCommand",
                    TokenCommand.SUMMARY),
            new Verb(UserCommand.NAME, "org.slapgrid.cli.console.UserCommand",
                    UserCommand.SUMMARY),
            new Verb(ClusterCommand.NAME, "org.slapgrid.cli.console.ClusterCommand",
                    ClusterCommand.SUMMARY),
            new Verb(ComplianceCommand.NAME, "org.slapgrid.cli.console.ComplianceCommand",
                    ComplianceCommand.SUMMARY),
            new Verb(TagActionCommands.InstanceCommand.NAME, "org.slapgrid.cli.console.TagActionCommands$InstanceCommand",
                    TagActionCommands.InstanceCommand.SUMMARY),
            new Verb(LifecycleCommand.NAME, "org.slapgrid.cli.console.LifecycleCommand",
                    LifecycleCommand.SUMMARY),
            new Verb(BuildoutCommand.NAME, "org.slapgrid.cli.buildout.BuildoutCommand",
                    BuildoutCommand.SUMMARY),
            new Verb(NodeCommand.NAME, "org.slapgrid.cli.node.NodeCommand",
                    NodeCommand.SUMMARY),
            new Verb(DemoCommand.NAME, "org.slapgrid.cli.demo.DemoCommand",
                    DemoCommand.SUMMARY));

    @CommandLine.Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (tests call this rather than main). */
    public static int run(String... args) {
        Integer fast = fastPath(args);
        if (fast != null) {
            return fast;
        }
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
            if (v.name().equals(helped)) {
                cl.addSubcommand(v.name(), load(v.className()));
            } else {
                CommandSpec standIn = CommandSpec.create().name(v.name());
                standIn.usageMessage().description(v.summary());
                cl.addSubcommand(v.name(), standIn);
            }
        }
        return cl;
    }

    /**
     * The commands run most, without picocli, whose model built by reflection (annotations
     * parsed into proxies, its converters registered) was most of their start-up: {@code --version},
     * {@code --help} (or no argument; {@link TopHelp}, the text picocli renders, which
     * {@code TopHelpTest} checks) and a plain {@code buildout} install ({@link BuildoutRun#fastPath}).
     * Null for anything else, which picocli parses.
     */
    static Integer fastPath(String... args) {
        if (args.length == 0 || args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.print(TopHelp.render(CommandLine.Help.Ansi.AUTO.enabled()));
            System.out.flush();
            return ExitCode.OK;
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(version());
            System.out.flush();
            return ExitCode.OK;
        }
        if (args[0].equals(BuildoutCommand.NAME)) {
            return BuildoutRun.fastPath(java.util.Arrays.asList(args).subList(1, args.length));
        }
        return null;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "slapos (slapgrid) " + (v == null ? "development build" : v);
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
            return new String[] {version()};
        }
    }
}
