package org.slapgrid.recipes.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A recipe test: each test gets a new {@link FakeBuildout} whose directory is a fresh temporary one. */
public abstract class FakeBuildoutCase {

    @TempDir
    protected Path dir;
    protected FakeBuildout buildout;

    @BeforeEach
    void newBuildout() {
        buildout = new FakeBuildout(dir);
    }
}
