package org.slapgrid.recipes.support;

import java.util.Locale;
import org.slapgrid.buildout.spi.Options;

/** SlapOS truth values: {@code y yes 1 true on} and {@code n no 0 false off}, any case. */
public final class Bools {

    private Bools() {
    }

    public static boolean option(Options options, String option, boolean defaultValue) {
        String text = options.get(option, "").strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "" -> defaultValue;
            case "y", "yes", "1", "true", "on" -> true;
            case "n", "no", "0", "false", "off" -> false;
            default -> throw options.error(option, "expected a boolean (true/false, yes/no, 1/0), got '" + text + "'");
        };
    }
}
