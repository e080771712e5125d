package org.slapgrid.recipes.support;

import org.slapgrid.buildout.spi.BuildoutException;

/** Errors raised while a part installs (exit 1), naming the section and, when known, the option. */
public final class Failures {

    private Failures() {
    }

    public static BuildoutException of(String section, String option, String detail) {
        return new BuildoutException(BuildoutException.Kind.FAILURE, null, section, option, detail, null);
    }

    public static BuildoutException of(String section, String option, String detail, Throwable cause) {
        return new BuildoutException(BuildoutException.Kind.FAILURE, null, section, option, detail, cause);
    }
}
