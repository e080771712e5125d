package org.slapgrid.cli.buildout;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.slapgrid.buildout.Buildout;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code slapos buildout [-c FILE] [-o] [-v] [-N] [section:option=value ...] [install|resolve|annotate]}:
 * the buildout engine on one profile. Without a command it installs, as {@code buildout} does.
 */
@Command(name = BuildoutCommand.NAME,
        mixinStandardHelpOptions = true,
        description = BuildoutCommand.SUMMARY,
        subcommands = {
                BuildoutCommand.Install.class,
                BuildoutCommand.Resolve.class,
                BuildoutCommand.Annotate.class,
        })
public final class BuildoutCommand implements Callable<Integer> {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "buildout";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Run the buildout engine on a profile: install its parts (default), or show the resolved configuration.";

    @Spec
    CommandSpec spec;

    @Option(names = BuildoutRun.CONFIG, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The profile, a path or URL (default: buildout.cfg in the current directory).")
    String config = BuildoutRun.DEFAULT_CONFIG;

    @Option(names = BuildoutRun.OFFLINE, scope = ScopeType.INHERIT, description = "Offline: buildout:offline=true.")
    boolean offline;

    @Option(names = BuildoutRun.NOT_NEWEST, scope = ScopeType.INHERIT, description = "Not newest: buildout:newest=false.")
    boolean notNewest;

    @Option(names = BuildoutRun.VERBOSE, scope = ScopeType.INHERIT, description = "Verbose: details on errors; verbose annotate.")
    boolean verbose;

    @Option(names = BuildoutRun.NO_USER_DEFAULTS, scope = ScopeType.INHERIT,
            description = "Ignore user defaults (accepted for compatibility: ~/.buildout/default.cfg is never read).")
    boolean noUserDefaults;

    @Parameters(paramLabel = "section:option=value", arity = "0..*",
            description = "Assignments that override the profile (+= and -= too).")
    List<String> assignments = new ArrayList<>();

    @Override
    public Integer call() {
        return install(assignments);
    }

    int install(List<String> words) {
        return BuildoutRun.install(options(words), BuildoutRun.lines(spec.commandLine().getOut()), spec.commandLine().getErr());
    }

    /** The options with the assignments given before a subcommand, then {@code words} (after it). */
    private BuildoutRun.Options options(List<String> words) {
        List<String> all = new ArrayList<>(assignments);
        if (words != assignments) {
            all.addAll(words);
        }
        return new BuildoutRun.Options(config, offline, notNewest, verbose, all);
    }

    /**
     * Prints what {@code view} makes of the engine on the profile with {@code words} (after the
     * subcommand); an engine error becomes one message on stderr and its exit status.
     */
    int show(List<String> words, Function<Buildout, String> view) {
        PrintWriter out = spec.commandLine().getOut();
        return BuildoutRun.guarded(verbose, spec.commandLine().getErr(), () -> {
            out.print(view.apply(BuildoutRun.builder(options(words)).build()));
            out.flush();
            return ExitCode.OK;
        });
    }

    /** A subcommand: the profile, the options and the assignments before it are its parent's. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        BuildoutCommand parent;
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Install the profile's parts (the default).")
    static final class Install extends Subcommand {
        @Parameters(paramLabel = "section:option=value", arity = "0..*")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            return parent.install(words);
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = "Print every section after extends, conditions, macros and substitution as one JSON object.")
    static final class Resolve extends Subcommand {
        @Option(names = "--json", description = "JSON output (the only format).")
        boolean json = true;

        @Option(names = "--recipes", description = "Also run the recipes' constructor phase (as install does) and show the options they compute.")
        boolean recipes;

        @Parameters(paramLabel = "section:option=value", arity = "0..*")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            return parent.show(words, b -> Json.printSorted(b.resolveAll(recipes)) + System.lineSeparator());
        }
    }

    @Command(name = "annotate", mixinStandardHelpOptions = true,
            description = "Print the merged configuration with the file each value came from, as buildout annotate.")
    static final class Annotate extends Subcommand {
        @Parameters(paramLabel = "section:option=value|section", arity = "0..*",
                description = "Assignments, and the sections to show (all when none is named).")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> assignments = words.stream().filter(w -> w.contains("=")).toList();
            Set<String> sections = new LinkedHashSet<>(words.stream().filter(w -> !w.contains("=")).toList());
            return parent.show(assignments, b -> b.annotate(parent.verbose, sections));
        }
    }
}
