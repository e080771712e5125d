package org.slapgrid.master.api;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.Database;
import org.slapgrid.master.store.LocalPostgres;
import org.slapgrid.master.store.PostgresFixture;

/** The metric, policy and autoscaler tests again, with the master on a real PostgreSQL (the cluster_policy table there). */
class PostgresMetricsApiTest extends MetricsApiTest {
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
        return super.config().withDb(server.createDatabase("metrics" + COUNT.incrementAndGet(), "migrated"));
    }
}
