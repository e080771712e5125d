package org.slapgrid.recipes.testing;

import org.slapgrid.testing.Require;

/** The system tools a recipe test drives: {@link Require#tools}, under the name the recipe tests use. */
public final class Tools {

    private Tools() {
    }

    /** Skips (under CI=true: fails) unless every command is on PATH. */
    public static void assumeInstalled(String... commands) {
        Require.tools(commands);
    }
}
