package org.slapgrid.master.api;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.LocalPostgres;
import org.slapgrid.master.store.PostgresFixture;

/** Every compliance API test again, on a real PostgreSQL (the V7 migration and its queries on the second store). */
class PostgresComplianceApiTest extends ComplianceApiTest {
    private static LocalPostgres server;
    private static final AtomicInteger COUNT = new AtomicInteger();

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
        return super.config().withDb(server.createDatabase("compliance" + COUNT.incrementAndGet(), "migrated"));
    }
}
