package org.slapgrid.master.api;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.PostgresFixture;

/** Every API test again, with the master on a real PostgreSQL (one fresh database per test). */
class PostgresApiTest extends ApiTest {
    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture("api");
    private String dbUrl;

    @Override
    MasterConfig config() throws Exception {
        if (dbUrl == null) { // the same database when a test restarts its master
            dbUrl = POSTGRES.newDatabase();
        }
        return super.config().withDb(dbUrl);
    }
}
