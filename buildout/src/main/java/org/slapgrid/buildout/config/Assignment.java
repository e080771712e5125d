package org.slapgrid.buildout.config;

import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;

/**
 * A command-line assignment {@code section:option=value} (reference §1.9). The section
 * defaults to {@code buildout}; {@code option+=v} and {@code option-=v} are increments.
 *
 * @param key the option key, with {@link ConfigParser#ADD} or {@link ConfigParser#REMOVE} for increments
 */
public record Assignment(String section, String key, String value) {

    /** Whether a command-line word is an assignment rather than a command. */
    public static boolean looksLikeAssignment(String word) {
        return word.indexOf('=') > 0;
    }

    public static Assignment parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw BuildoutException.configuration(SourceLocation.COMMAND_LINE, null, null,
                    "invalid assignment '" + text + "': expected section:option=value");
        }
        String left = text.substring(0, eq).strip();
        String value = text.substring(eq + 1).strip();
        String section = "buildout";
        String option = left;
        int colon = left.indexOf(':');
        if (colon >= 0) {
            if (left.indexOf(':', colon + 1) >= 0) {
                throw BuildoutException.configuration(SourceLocation.COMMAND_LINE, null, null,
                        "invalid assignment '" + text + "': too many colons in '" + left + "'");
            }
            section = left.substring(0, colon).strip();
            option = left.substring(colon + 1).strip();
        }
        if (section.isEmpty() || option.isEmpty() || option.matches(".*[\\s{}\\[\\]=].*") && !option.matches("[^\\s{}\\[\\]=]+\\s*[-+]")) {
            throw BuildoutException.configuration(SourceLocation.COMMAND_LINE, null, null,
                    "invalid assignment '" + text + "': bad section or option name");
        }
        String key = option;
        if (option.endsWith("+")) {
            key = ConfigParser.rstrip(option, " +") + ConfigParser.ADD;
        } else if (option.endsWith("-")) {
            key = ConfigParser.rstrip(option, " -") + ConfigParser.REMOVE;
        }
        return new Assignment(section, key, value);
    }
}
