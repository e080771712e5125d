package org.slapgrid.master.store;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slapgrid.testing.Require;

/**
 * A test PostgreSQL for a test class, or a skip (a failure under CI=true) when the binaries are
 * missing. As an extension ({@code @RegisterExtension static final PostgresFixture POSTGRES = new
 * PostgresFixture("api")}) it starts one server for the class, migrates a template database once,
 * and hands each test a fresh copy ({@link #newDatabase}: Flyway then finds it up to date).
 */
public final class PostgresFixture implements BeforeAllCallback, AfterAllCallback {
    private static final String TEMPLATE = "migrated";
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private LocalPostgres server;

    /** {@code prefix}: the name of the test's databases, numbered. */
    public PostgresFixture(String prefix) {
        this.prefix = prefix;
    }

    /** A server alone, for a test that makes its own databases; the caller closes it. */
    public static LocalPostgres start() throws Exception {
        Optional<Path> bin = LocalPostgres.findBinaries();
        Require.that(bin.isPresent(), "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)");
        return LocalPostgres.start(bin.get());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = start();
        Database.open(server.createDatabase(TEMPLATE)).close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** A fresh, migrated database: its JDBC URL. */
    public String newDatabase() throws SQLException {
        return server.createDatabase(prefix + count.incrementAndGet(), TEMPLATE);
    }
}
