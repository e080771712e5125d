package org.slapgrid.master.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract on a real PostgreSQL server started for this class (Debian's binaries).
 * Skipped when they are missing, except under CI=true, where that is a failure.
 */
class PostgresStoreTest extends StoreContractTest {
    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture("store");

    @Override
    String newDatabaseUrl() throws Exception {
        return remember(POSTGRES.newDatabase());
    }
}
