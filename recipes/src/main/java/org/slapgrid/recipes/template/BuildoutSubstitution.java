package org.slapgrid.recipes.template;

import java.util.regex.Pattern;
import org.slapgrid.buildout.spi.BuildoutContext;
import org.slapgrid.buildout.spi.BuildoutException;
import org.slapgrid.buildout.spi.SourceLocation;

/**
 * Buildout's {@code ${section:option}} substitution applied to a template's text, as
 * slapos.recipe.template does: {@code ${:option}} is the template's own section, {@code $$} is a
 * literal {@code $} (so {@code $${a:b}} renders {@code ${a:b}} for a later buildout), any other
 * {@code $} is kept. Reading a section through the context makes it a dependency of the part.
 *
 * <p>Hand-written because the SPI exposes option lookup, not the engine's substitution.
 */
final class BuildoutSubstitution {

    private static final Pattern NAME = Pattern.compile("[-a-zA-Z0-9 ._]*");
    private static final Pattern OPTION = Pattern.compile("[-a-zA-Z0-9 ._]+");

    private BuildoutSubstitution() {
    }

    static String apply(BuildoutContext buildout, String ownSection, String source, String text) {
        StringBuilder out = new StringBuilder(text.length());
        int line = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            }
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i);
                int colon = end < 0 ? -1 : text.indexOf(':', i);
                if (end < 0 || colon < 0 || colon > end) {
                    throw BuildoutException.configuration(new SourceLocation(source, line), ownSection, null,
                            "invalid substitution '" + text.substring(i, end < 0 ? Math.min(text.length(), i + 40) : end + 1)
                                    + "': expected ${section:option}");
                }
                String section = text.substring(i + 2, colon);
                String option = text.substring(colon + 1, end);
                if (!NAME.matcher(section).matches() || !OPTION.matcher(option).matches()) {
                    throw BuildoutException.configuration(new SourceLocation(source, line), ownSection, null,
                            "invalid substitution '" + text.substring(i, end + 1) + "'");
                }
                String name = section.isEmpty() ? ownSection : section;
                if (!buildout.hasSection(name)) {
                    throw BuildoutException.configuration(new SourceLocation(source, line), ownSection, null,
                            "'" + text.substring(i, end + 1) + "' refers to a missing section [" + name + "]");
                }
                String reference = text.substring(i, end + 1);
                SourceLocation where = new SourceLocation(source, line);
                out.append(buildout.section(name).find(option).orElseThrow(() -> BuildoutException.configuration(
                        where, ownSection, null, "'" + reference + "' refers to a missing option")));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
