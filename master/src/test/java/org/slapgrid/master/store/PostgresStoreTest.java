package org.slapgrid.master.store;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server started for this class (Debian's binaries).
 * Skipped when they are missing, except under CI=true, where that is a failure.
 */
class PostgresStoreTest extends StoreContractTest {
    private static LocalPostgres server;
    private static final AtomicInteger COUNT = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresFixture.start();
        // Migrate once into a template; each test gets a copy (Flyway then finds it up to date).
        Database.open(server.createDatabase("migrated")).close();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String newDatabaseUrl() throws Exception {
        return remember(server.createDatabase("store" + COUNT.incrementAndGet(), "migrated"));
    }
}
