package org.slapgrid.recipes.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.Options;
import org.slapgrid.buildout.spi.Words;

/** Parsing helpers for option values, each error naming the section and option. */
public final class OptionValues {

    private OptionValues() {
    }

    /** Whitespace-separated words (lines and spaces alike), empty entries dropped. */
    public static List<String> words(Options options, String option) {
        // strip() first: it also drops Unicode blanks at the ends (U+2003...), which Words, splitting
        // on the regex's ASCII \s as String.split did, keeps
        return List.copyOf(Words.split(options.get(option, "").strip()));
    }

    /** Non-blank lines, stripped. */
    public static List<String> lines(Options options, String option) {
        List<String> lines = new ArrayList<>();
        for (String line : options.get(option, "").split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** Lines {@code KEY=VALUE} (order kept). */
    public static Map<String, String> environment(Options options, String option) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : lines(options, option)) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw options.error(option, "expected lines of the form NAME=VALUE, got '" + line + "'");
            }
            env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return env;
    }

    public static int integer(Options options, String option, int defaultValue, int min, int max) {
        String text = options.get(option, "").strip();
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw options.error(option, "must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw options.error(option, "not an integer: '" + text + "'");
        }
    }

    /** A path, relative ones resolved against the buildout directory. */
    public static Path path(BuildoutContext buildout, String value) {
        return buildout.directory().resolve(value).normalize();
    }

    /** The option as a path, resolved against the buildout directory; empty when absent or blank. */
    public static Optional<Path> optionalPath(BuildoutContext buildout, Options options, String option) {
        String value = options.get(option, "").strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(path(buildout, value));
    }

    /** Where a part puts what it makes: the option's path, by default the part's own {@code parts/<section>}. */
    public static Path partDirectory(BuildoutContext buildout, Options options, String option) {
        return optionalPath(buildout, options, option).orElse(buildout.partsDirectory().resolve(options.sectionName()));
    }

    /** The mandatory option, stripped, which must not be empty. */
    public static String requiredText(Options options, String option) {
        String value = options.required(option).strip();
        if (value.isEmpty()) {
            throw options.error(option, "must not be empty");
        }
        return value;
    }

    /** The mandatory option as a path, resolved against the buildout directory. */
    public static Path requiredPath(BuildoutContext buildout, Options options, String option) {
        return path(buildout, requiredText(options, option));
    }
}
