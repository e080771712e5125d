package org.slapgrid.buildout.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The configuration after extends, increments and command-line assignments, before macros and
 * substitution (what {@code annotate} shows).
 *
 * @param data      section to option to merged value
 * @param directory {@code buildout:directory}
 * @param files     every file or URL read, in order
 */
public record LoadedConfig(Map<String, Map<String, MergedValue>> data, Path directory, List<String> files) {
}
