package org.slapgrid.master.api;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.LocalPostgres;
import org.slapgrid.master.store.PostgresFixture;

/** Every API test again, with the master on a real PostgreSQL (one fresh database per test). */
class PostgresApiTest extends ApiTest {
    private static LocalPostgres server;
    private static final AtomicInteger COUNT = new AtomicInteger();
    private String dbUrl;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresFixture.start();
        Database.open(server.createDatabase("migrated")).close();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    MasterConfig config() throws Exception {
        if (dbUrl == null) { // the same database when a test restarts its master
            dbUrl = server.createDatabase("api" + COUNT.incrementAndGet(), "migrated");
        }
        return super.config().withDb(dbUrl);
    }
}
