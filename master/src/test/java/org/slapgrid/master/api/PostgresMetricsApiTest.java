package org.slapgrid.master.api;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.PostgresFixture;

/** The metric, policy and autoscaler tests again, with the master on a real PostgreSQL (the cluster_policy table there). */
class PostgresMetricsApiTest extends MetricsApiTest {
    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture("metrics");

    @Override
    MasterConfig config() throws Exception {
        return super.config().withDb(POSTGRES.newDatabase());
    }
}
