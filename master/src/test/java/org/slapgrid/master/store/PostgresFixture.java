package org.slapgrid.master.store;

import java.nio.file.Path;
import java.util.Optional;
import org.slapgrid.testing.Require;

/** Starts a test PostgreSQL, or skips (fails under CI=true) when the binaries are missing. */
public final class PostgresFixture {
    private PostgresFixture() {
    }

    public static LocalPostgres start() throws Exception {
        Optional<Path> bin = LocalPostgres.findBinaries();
        Require.that(bin.isPresent(), "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)");
        return LocalPostgres.start(bin.get());
    }
}
