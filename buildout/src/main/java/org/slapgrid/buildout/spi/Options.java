package org.slapgrid.buildout.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One section of the configuration as a recipe sees it: options after macros and
 * substitution. Reading an option that refers to another section initializes that section
 * first (and, if it has a recipe, makes it a part installed before this one).
 *
 * <p>Recipes may set options in their factory (constructor phase); those options are part of
 * the part's signature, so a change in them reinstalls the part. Options set later, inside
 * install or update, are not saved.
 */
public interface Options {

    /** The section's name. */
    String sectionName();

    /** The substituted value; a missing option is a {@link BuildoutException} naming section and option. */
    String get(String option);

    /** The substituted value, or {@code defaultValue} when the option is absent. */
    default String get(String option, String defaultValue) {
        return find(option).orElse(defaultValue);
    }

    /** The substituted value, if the option exists. */
    Optional<String> find(String option);

    default boolean has(String option) {
        return find(option).isPresent();
    }

    /** Sets a string value (recipe output, or a computed input that belongs to the signature). */
    void put(String option, String value);

    /**
     * Sets a value that other sections can substitute but that is neither part of the part's
     * signature nor saved in {@code .installed.cfg} (which is readable by anyone who can read the
     * partition): for secrets such as generated passwords, as SlapOS's "volatile" options.
     */
    void putVolatile(String option, String value);

    /**
     * Sets a structured value (a Map, List, Set, Number or Boolean), as SlapOS's buildout allows
     * for recipes such as slapconfiguration. {@link #get} renders it as JSON text.
     */
    void putObject(String option, Object value);

    /** The structured value set with {@link #putObject}, else the string value. */
    Object getObject(String option);

    /** Every option name of the section (after macro expansion). */
    Set<String> keys();

    /** A snapshot of every option, substituted, sorted by name. */
    Map<String, String> asMap();

    /** Where the option's text was written, or null when it was computed. */
    SourceLocation locationOf(String option);

    /** A configuration error naming this section, the option and the place it was written. */
    default BuildoutException error(String option, String message) {
        return BuildoutException.configuration(option == null ? null : locationOf(option), sectionName(), option, message);
    }

    /** The value of a mandatory option, or a clear error naming the section and option. */
    default String required(String option) {
        return find(option).orElseThrow(() -> BuildoutException.configuration(null, sectionName(), option,
                "missing mandatory option '" + option + "'"));
    }
}
