package org.slapgrid.cli.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import java.nio.charset.StandardCharsets;
import org.slapgrid.cli.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slapos console}: an interactive shell (JLine: line editing, history, completion of verbs)
 * running the same verbs as the command line: supply, request, remove, list, info.
 */
@Command(name = ConsoleCommand.NAME, mixinStandardHelpOptions = true,
        description = ConsoleCommand.SUMMARY)
public final class ConsoleCommand implements Callable<Integer> {

    /** The verb: {@code Main.VERBS} names it by this constant too (javac copies it there: nothing loads). */
    public static final String NAME = "console";

    /** The first line of the description: {@code slapos --help} lists it (Main.VERBS, without loading this class). */
    public static final String SUMMARY =
            "Interactive shell with the verbs supply, request, remove, list and info (history, completion).";

    static final List<String> VERBS = List.of("supply", "request", "remove", "list", "info", "help", "exit");

    @Mixin
    ConsoleOptions options = new ConsoleOptions();

    @Option(names = "--history", paramLabel = "FILE", description = "history file (default: ~/.slapos/console_history)")
    Path history;

    /** Streams of the shell; the real terminal unless a test sets them. */
    InputStream in;
    OutputStream out;

    /** The verbs, as one picocli command so that a line is parsed exactly like a command line. */
    @Command(name = "", subcommands = {SupplyCommand.class, RequestCommand.class, RemoveCommand.class, ListCommand.class,
            InfoCommand.class, TokenCommand.class, UserCommand.class, ClusterCommand.class})
    static final class Verbs {
    }

    @Override
    public Integer call() throws IOException {
        try (Terminal terminal = in != null
                // Given streams (tests, pipes): a dumb terminal that reads them synchronously.
                ? new DumbTerminal("slapos", Terminal.TYPE_DUMB, in, out, StandardCharsets.UTF_8)
                : TerminalBuilder.builder().name("slapos").system(true).build()) {
            Path historyFile = history != null ? history : Path.of(System.getProperty("user.home"), ".slapos", "console_history");
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("slapos")
                    .completer(new ArgumentCompleter(new StringsCompleter(VERBS), NullCompleter.INSTANCE))
                    .variable(LineReader.HISTORY_FILE, historyFile)
                    .build();
            PrintWriter w = terminal.writer();
            w.println("slapos console: " + String.join(", ", VERBS) + " (Tab completes, Ctrl-D leaves)");
            w.flush();
            ClientCommand.SESSION.set(options);
            try {
                loop(reader, w);
            } finally {
                ClientCommand.SESSION.remove();
                reader.getHistory().save();
            }
        }
        return ExitCode.OK;
    }

    private static void loop(LineReader reader, PrintWriter w) {
        while (true) {
            String line;
            try {
                line = reader.readLine("slapos> ");
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return;
            }
            List<String> words = reader.getParsedLine().words().stream().filter(s -> !s.isEmpty()).toList();
            if (words.isEmpty()) {
                continue;
            }
            String verb = words.get(0);
            if (verb.equals("exit") || verb.equals("quit")) {
                return;
            }
            CommandLine cl = new CommandLine(new Verbs());
            cl.setOut(w);
            cl.setErr(w);
            if (verb.equals("help")) {
                cl.usage(w);
                continue;
            }
            int status = cl.execute(words.toArray(String[]::new));
            if (status != ExitCode.OK) {
                w.println("(exit status " + status + ")");
            }
            w.flush();
        }
    }
}
