package org.slapgrid.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.cli.Json;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.RequestedState;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A verb that talks to the master with the user's token: resolves the settings, runs, and turns
 * the master's refusals and the user's bad input ({@link BadInput}) into a message on stderr and
 * an exit status (2 for bad input, 1 otherwise). It also owns how a verb prints what the master
 * answered: {@link #show} (JSON with {@code --json}, else its plain form), {@link #listed} (a
 * table, one row per element) and {@link #report} (one line); a verb whose whole work is one call
 * declares only that call ({@link Answer}).
 */
abstract class ClientCommand implements Callable<Integer> {
    /** Options of an enclosing {@code slapos console}, inherited by the verbs it runs. */
    static final ThreadLocal<ConsoleOptions> SESSION = new ThreadLocal<>();

    @Mixin
    ConsoleOptions options = new ConsoleOptions();

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the verb; returns the exit status. */
    abstract int run(SlapClient client) throws Exception;

    /** Bad input the verb found itself (a malformed option value): its message, exit status 2. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    /** How a verb prints an answer without {@code --json}. */
    @FunctionalInterface
    interface Plain<T> {
        void print(T answer, PrintWriter out) throws Exception;
    }

    /**
     * A verb whose work is one call to the master, its answer printed by {@link #show}: each such
     * verb declares its parameters and the call, its family the plain form.
     */
    abstract static class Answer<T> extends ClientCommand {
        abstract T call(SlapClient client) throws Exception;

        abstract void plain(T answer, PrintWriter out) throws Exception;

        @Override
        final int run(SlapClient client) throws Exception {
            return show(call(client), this::plain);
        }
    }

    /** An {@link Answer} about the one thing its first parameter names. */
    abstract static class Named<T> extends Answer<T> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
    }

    @Override
    public final Integer call() throws Exception {
        options.inherit(SESSION.get());
        SlapClient client;
        try {
            client = ClientSettings.resolve(options, System.getenv(), Path.of(System.getProperty("user.home"))).client();
        } catch (ClientSettings.BadSettings e) {
            return usage(e.getMessage());
        }
        try {
            return run(client);
        } catch (BadInput e) {
            return usage(e.getMessage());
        } catch (SlapException e) {
            return refuse(badInput(e) ? ExitCode.USAGE : ExitCode.FAILURE,
                    e.getMessage() + (e.status() > 0 ? " [" + e.code() + ", HTTP " + e.status() + "]" : ""));
        }
    }

    /**
     * Whether the master refused what the user gave (exit 2) rather than what it asked for (a rule
     * of the cluster, a quota, a state: exit 1). 400 and 413 are bad input; a 422 is bad input when
     * its code says the given value is invalid ({@code invalid_parameters}, {@code invalid_webhook}:
     * docs/protocol.md names the codes), and a refusal otherwise ({@code cluster_rule},
     * {@code limit_exceeded}...).
     */
    static boolean badInput(SlapException e) {
        return e.status() == 400 || e.status() == 413
                || e.status() == 422 && e.code() != null && e.code().startsWith("invalid_");
    }

    /** Prints "slapos VERB: message" on stderr; returns {@code status}, the verb's exit status. */
    int refuse(int status, String message) {
        err().println(spec.qualifiedName() + ": " + message);
        err().flush();
        return status;
    }

    /** Bad input, named: exit status 2. */
    int usage(String message) {
        return refuse(ExitCode.USAGE, message);
    }

    /** A failure or refusal, said: exit status 1. */
    int failure(String message) {
        return refuse(ExitCode.FAILURE, message);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return options.json;
    }

    void printJson(Object value) throws JsonProcessingException {
        out().println(Json.print(value));
        out().flush();
    }

    /** {@code answer} as JSON with {@code --json}, else as {@code plain} prints it; exit status 0. */
    <T> int show(T answer, Plain<? super T> plain) throws Exception {
        if (json()) {
            printJson(answer);
            return ExitCode.OK;
        }
        plain.print(answer, out());
        out().flush();
        return ExitCode.OK;
    }

    /** A listing: {@code all} as JSON with {@code --json}, else {@code table} with the {@code row} of each. */
    <E> int listed(List<E> all, Table table, Function<? super E, Object[]> row) throws Exception {
        return show(all, (xs, out) -> {
            xs.forEach(x -> table.row(row.apply(x)));
            table.print(out);
        });
    }

    /** What the verb did: {@code json} with {@code --json}, else the line {@code text}; exit status 0. */
    int report(Object json, String text) throws Exception {
        return show(json, (x, out) -> out.println(text));
    }

    /** One line on stdout, with or without {@code --json}: what the verb did; exit status 0. */
    int done(String message) {
        out().println(message);
        out().flush();
        return ExitCode.OK;
    }

    static String state(Instance i) {
        return state(i.requestedState(), i.reportedState());
    }

    /** "started / started", "stopped (not reported)": what was asked, and what the node last said (an instance's, a member's). */
    static String state(RequestedState requested, InstanceState reported) {
        String asked = requested == null ? "?" : requested.json();
        return reported == null ? asked + " (not reported)" : asked + " / " + reported.json();
    }

    static String where(Instance i) {
        if (i.host() != null) {
            return "shared in " + i.host();
        }
        return i.node() == null ? null : i.node() + "/" + i.partition();
    }

    /** One instance as "key  value" lines, parameters and connection parameters included. */
    static void printInstance(Instance i, PrintWriter out) {
        Table t = new Table("FIELD", "VALUE")
                .row("name", i.name())
                .row("id", i.id())
                .row("software", i.softwareUrl())
                .row("type", i.softwareType())
                .row("state", state(i))
                .row("partition", where(i))
                .row("requester", i.requester())
                .row("root", i.rootName());
        if (i.errorLog() != null) {
            t.row("error", i.errorLog());
        }
        for (Map.Entry<String, Object> p : new TreeMap<>(i.parameters()).entrySet()) {
            t.row("parameter." + p.getKey(), p.getValue());
        }
        for (Map.Entry<String, Object> p : new TreeMap<>(i.connectionParameters()).entrySet()) {
            t.row("connection." + p.getKey(), p.getValue());
        }
        t.print(out);
    }
}
