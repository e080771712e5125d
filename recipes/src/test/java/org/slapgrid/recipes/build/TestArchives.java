package org.slapgrid.recipes.build;

import java.io.IOException;
import java.util.Map;

/** Test archives for tests outside this package (the end-to-end test). */
public final class TestArchives {

    private TestArchives() {
    }

    public static byte[] tarGz(Map<String, String> entries) throws IOException {
        return Archives.tarGz(entries);
    }

    /** The tiny configure + Makefile + C project of {@link BuildRecipesTest}, as a tar.gz. */
    public static byte[] helloProject(String greeting) throws IOException {
        return Archives.tarGz(BuildRecipesTest.project(greeting));
    }
}
