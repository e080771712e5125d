package org.slapgrid.recipes.template.jinja;

import org.slapgrid.buildout.python.Py;
/**
 * {@code dumps(value)} as SlapOS profiles call it to write a Python value into a buildout option
 * so that a later {@code key} context line reads the same value back. A plain one-line string
 * is written as it is (so {@code ${section:option}} substitution yields it unchanged); any other
 * value is written as {@code \} followed by Python's repr, {@code $} doubled, which a {@code key}
 * context line reads back ({@link #loads}).
 *
 * <p>The SlapOS buildout fork's own code was not available when this was written: this format is
 * the project's, documented in recipes/README.md, and not checked against the fork.
 */
final class BuildoutDumps {

    private BuildoutDumps() {
    }

    static String dumps(Object value) {
        if (value instanceof String s && isPlain(s)) {
            return s;
        }
        // $ doubled: buildout turns $$ back into $ (and would substitute a ${...} left as it is).
        return "\\" + Py.repr(value).replace("$", "$$");
    }

    /** The value {@link #dumps} wrote: a {@code \\}-prefixed literal is read back, any other text is itself. */
    static Object loads(String text) {
        if (text.startsWith("\\")) {
            try {
                return Parser.literal(text.substring(1));
            } catch (RuntimeException e) {
                return text;
            }
        }
        return text;
    }

    private static boolean isPlain(String s) {
        return !s.isEmpty() && s.strip().equals(s) && s.indexOf('\n') < 0 && s.indexOf('$') < 0 && !s.startsWith("\\");
    }
}
