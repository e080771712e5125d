package org.slapgrid.master.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/** Starts a test PostgreSQL, or skips (fails under CI=true) when the binaries are missing. */
public final class PostgresFixture {
    private PostgresFixture() {
    }

    public static LocalPostgres start() throws Exception {
        Optional<Path> bin = LocalPostgres.findBinaries();
        if (bin.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but PostgreSQL's binaries are missing under /usr/lib/postgresql/*/bin"
                    + " (apt-get install postgresql)");
        }
        assumeTrue(bin.isPresent(), "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): skipping the PostgreSQL store tests");
        return LocalPostgres.start(bin.get());
    }
}
