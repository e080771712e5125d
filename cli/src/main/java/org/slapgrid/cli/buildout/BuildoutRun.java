package org.slapgrid.cli.buildout;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.slapgrid.buildout.Buildout;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.recipes.BuiltinRecipes;

/**
 * {@code slapos buildout}'s install, without picocli: {@link BuildoutCommand} runs it, and so does
 * {@link #fastPath} for the plain forms ({@code [-c FILE] [-o] [-N] [-v] [-U]
 * [section:option=value ...]}), the commands users re-run most, whose start-up was mostly
 * picocli building its model by reflection.
 */
public final class BuildoutRun {

    /**
     * The options' names and the default profile: {@link BuildoutCommand}'s {@code @Option}s use
     * these constants too, so the fast path reads exactly the words picocli parses.
     */
    static final String DEFAULT_CONFIG = "buildout.cfg";
    static final String CONFIG = "-c";
    static final String OFFLINE = "-o";
    static final String NOT_NEWEST = "-N";
    static final String VERBOSE = "-v";
    static final String NO_USER_DEFAULTS = "-U";

    /** The options of an install: those of {@code slapos buildout}. */
    record Options(String config, boolean offline, boolean notNewest, boolean verbose, List<String> assignments) {
    }

    private BuildoutRun() {
    }

    /**
     * Runs {@code slapos buildout ARGS} (ARGS after the verb) if it is a plain install, and
     * returns its exit status; null for anything else (a subcommand, {@code --help}, an option
     * written otherwise, bad usage), which picocli then parses and reports as ever.
     */
    public static Integer fastPath(List<String> args) {
        String config = DEFAULT_CONFIG;
        boolean offline = false;
        boolean notNewest = false;
        boolean verbose = false;
        List<String> assignments = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case CONFIG -> {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
                        return null;
                    }
                    config = args.get(++i);
                }
                case OFFLINE -> offline = true;
                case NOT_NEWEST -> notNewest = true;
                case VERBOSE -> verbose = true;
                case NO_USER_DEFAULTS -> {
                    // accepted for compatibility, as BuildoutCommand says
                }
                default -> {
                    if (a.startsWith("-") || !a.contains("=")) {
                        return null;
                    }
                    assignments.add(a);
                }
            }
        }
        PrintWriter err = new PrintWriter(System.err, true);
        return install(new Options(config, offline, notNewest, verbose, assignments), rawLines(), err);
    }

    /**
     * Progress lines ("Updating part1.") written to stdout as they come, as bytes of the default
     * charset (what {@code System.out} and picocli's writer encode with, so both paths print the
     * same): printed as text, each line went through two writers and a charset encoder, a
     * measurable part of an unchanged re-run of 100 parts (docs/benchmarks.md). {@code PrintStream}
     * keeps its contract: errors (a pipe whose reader left) do not stop the install.
     */
    private static Consumer<String> rawLines() {
        PrintStream stdout = System.out;
        Charset charset = Charset.defaultCharset();
        return line -> {
            byte[] bytes = (line + "\n").getBytes(charset);
            stdout.write(bytes, 0, bytes.length);
            stdout.flush();
        };
    }

    /** Each line printed and flushed at once through {@code out}. */
    static Consumer<String> lines(PrintWriter out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }

    static Buildout.Builder builder(Options o) {
        Buildout.Builder b = Buildout.builder(o.config()).offline(o.offline()).newest(!o.notNewest());
        o.assignments().forEach(b::assign);
        BuiltinRecipes.factories().forEach(b::recipe);   // no ServiceLoader scan unless a recipe is not one of them
        return b;
    }

    static int install(Options o, Consumer<String> progress, PrintWriter err) {
        return guarded(o.verbose(), err, () -> {
            Buildout b = builder(o).log(progress).build();
            b.install();
            return ExitCode.OK;
        });
    }

    /** Runs {@code action}; an engine error becomes one message on stderr and its exit status. */
    static int guarded(boolean verbose, PrintWriter err, Callable<Integer> action) {
        try {
            return action.call();
        } catch (BuildoutException e) {
            err.println("Error: " + oneMessage(e));
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
            err.flush();
            return e.exitStatus();
        } catch (Exception e) {
            err.println("Error: " + e);
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCode.FAILURE;
        }
    }

    /** buildout's messages may span lines; keep them on one, except a list of syntax errors. */
    static String oneMessage(BuildoutException e) {
        return e.getMessage().replaceAll("\n(?!\t)", " ");
    }
}
