package org.slapgrid.master.api;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.PostgresFixture;

/** Every compliance API test again, on a real PostgreSQL (the V7 migration and its queries on the second store). */
class PostgresComplianceApiTest extends ComplianceApiTest {
    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture("compliance");

    @Override
    MasterConfig config() throws Exception {
        return super.config().withDb(POSTGRES.newDatabase());
    }
}
