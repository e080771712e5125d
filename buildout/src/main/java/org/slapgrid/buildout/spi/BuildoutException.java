package org.slapgrid.buildout.spi;

/**
 * The one error type that leaves the engine. It names, as far as they are known, the file and
 * line, the section and the option the problem is about, so a user can go straight to it.
 *
 * <p>{@link Kind#CONFIGURATION} errors are bad input (syntax, missing reference, cycle, unknown
 * recipe, missing or malformed option): the command exits 2 and nothing installed is touched.
 * {@link Kind#FAILURE} errors happen while a part installs, updates or uninstalls: exit 1.
 */
public class BuildoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind { CONFIGURATION, FAILURE }

    private final Kind kind;
    private final transient SourceLocation location;
    private final String section;
    private final String option;
    private final String detail;

    public BuildoutException(Kind kind, SourceLocation location, String section, String option,
                             String detail, Throwable cause) {
        super(format(location, section, option, detail), cause);
        this.kind = kind;
        this.location = location;
        this.section = section;
        this.option = option;
        this.detail = detail;
    }

    /** Bad input not tied to a section, e.g. a file that cannot be read. */
    public static BuildoutException configuration(SourceLocation location, String detail) {
        return new BuildoutException(Kind.CONFIGURATION, location, null, null, detail, null);
    }

    /** Bad input in a given section and option (either may be null). */
    public static BuildoutException configuration(SourceLocation location, String section, String option, String detail) {
        return new BuildoutException(Kind.CONFIGURATION, location, section, option, detail, null);
    }

    /** A part failed while installing, updating or uninstalling. */
    public static BuildoutException failure(String section, String detail, Throwable cause) {
        return new BuildoutException(Kind.FAILURE, null, section, null, detail, cause);
    }

    public Kind kind() { return kind; }
    public SourceLocation location() { return location; }
    public String section() { return section; }
    public String option() { return option; }
    /** The message without the location prefix. */
    public String detail() { return detail; }

    /** The process exit status this error maps to: 2 for bad input, 1 for a failure. */
    public int exitStatus() { return kind == Kind.CONFIGURATION ? 2 : 1; }

    private static String format(SourceLocation location, String section, String option, String detail) {
        StringBuilder b = new StringBuilder();
        if (location != null) {
            b.append(location).append(": ");
        }
        if (section != null) {
            b.append('[').append(section).append(']');
            if (option != null) {
                b.append(' ').append(option);
            }
            b.append(": ");
        } else if (option != null) {
            b.append(option).append(": ");
        }
        return b.append(detail).toString();
    }
}
