package org.slapgrid.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code slapos --help}, rendered without picocli: what picocli's usage help prints
 * for {@link Main} and its verbs (80 columns, descriptions wrapped at spaces, the verbs' first
 * description lines), with or without its default ANSI styles (names bold, options yellow).
 * {@code TopHelpTest} checks it against picocli's rendering, both ways, so a change of a verb's
 * description or of picocli's layout shows there.
 */
final class TopHelp {

    private static final int WIDTH = 80;
    /** Verbs: two spaces, the name padded to the longest name plus two, then the summary. */
    private static final String HELP_VERB = "Display help information about the specified command.";

    private TopHelp() {
    }

    static String render(boolean ansi) {
        StringBuilder out = new StringBuilder();
        out.append("Usage: ").append(bold("slapos", ansi)).append(" [").append(yellow("-hV", ansi)).append("] [COMMAND]\n");
        for (String line : wrap(Main.DESCRIPTION, WIDTH, WIDTH)) {
            out.append(line).append('\n');
        }
        out.append("  ").append(yellow("-h", ansi)).append(", ").append(yellow("--help", ansi))
                .append("      Show this help message and exit.\n");
        out.append("  ").append(yellow("-V", ansi)).append(", ").append(yellow("--version", ansi))
                .append("   Print version information and exit.\n");
        out.append("Commands:\n");
        int nameWidth = "help".length();
        for (Main.Verb v : Main.VERBS) {
            nameWidth = Math.max(nameWidth, v.name().length());
        }
        verb(out, "help", HELP_VERB, nameWidth, ansi);
        for (Main.Verb v : Main.VERBS) {
            verb(out, v.name(), v.summary(), nameWidth, ansi);
        }
        return out.toString();
    }

    private static void verb(StringBuilder out, String name, String summary, int nameWidth, boolean ansi) {
        int column = 2 + nameWidth + 2;
        out.append("  ").append(bold(name, ansi)).append(" ".repeat(nameWidth + 2 - name.length()));
        List<String> lines = wrap(summary, WIDTH - column, WIDTH - column - 2);
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                out.append(" ".repeat(column + 2));
            }
            out.append(lines.get(i)).append('\n');
        }
    }

    /** Words filled greedily into lines shorter than {@code first}, then {@code next} characters (picocli keeps the last column free). */
    private static List<String> wrap(String text, int first, int next) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            int limit = lines.isEmpty() ? first : next;
            if (line.length() > 0 && line.length() + 1 + word.length() >= limit) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String bold(String s, boolean ansi) {
        return ansi ? "\u001b[1m" + s + "\u001b[21m\u001b[0m" : s;
    }

    private static String yellow(String s, boolean ansi) {
        return ansi ? "\u001b[33m" + s + "\u001b[39m\u001b[0m" : s;
    }
}
