package org.slapgrid.master.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The master's database: an embedded SQLite file or a PostgreSQL server, behind one connection
 * pool, migrated by Flyway on open. Write transactions on SQLite start IMMEDIATE (they take the
 * write lock first), so two concurrent writers queue on the busy timeout instead of failing
 * when one upgrades a read lock.
 */
public final class Database implements AutoCloseable {

    /** Runs SQL on a connection; may throw SQLException. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final boolean sqlite;

    private Database(HikariDataSource pool, boolean sqlite) {
        this.pool = pool;
        this.sqlite = sqlite;
    }

    /** Opens (creating the SQLite file's directory if needed) and migrates the schema. */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, null, null);
    }

    public static Database open(String jdbcUrl, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("slapgrid-master");
        boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
        if (sqlite) {
            String file = jdbcUrl.substring("jdbc:sqlite:".length());
            int q = file.indexOf('?');
            if (q >= 0) {
                file = file.substring(0, q);
            }
            if (!file.isEmpty() && !file.startsWith(":memory:") && !file.startsWith("file:")) {
                Path path = Path.of(file).toAbsolutePath();
                try {
                    createPrivately(path);
                } catch (java.io.IOException e) {
                    throw new StoreException("cannot create the directory of " + file + ": " + e.getMessage(), e);
                }
            }
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
            cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            cfg.setBusyTimeout(30_000);
            // A checkpointed write-ahead log is cut back to 16 MiB, so the WAL file does not keep
            // its high-water mark of a burst of writes (docs/benchmarks.md: bounded growth).
            cfg.setJournalSizeLimit(16 << 20);
            cfg.enforceForeignKeys(true);
            cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            SQLiteDataSource ds = new SQLiteDataSource(cfg);
            ds.setUrl(jdbcUrl);
            hc.setDataSource(ds);
            hc.setMaximumPoolSize(4);
        } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            hc.setJdbcUrl(jdbcUrl);
            if (user != null) {
                hc.setUsername(user);
            }
            if (password != null) {
                hc.setPassword(password);
            }
            hc.setMaximumPoolSize(10);
            hc.setMinimumIdle(2); // each PostgreSQL connection is a server process: open more only under load
        } else {
            throw new StoreException("unsupported database URL (expected jdbc:sqlite:FILE or jdbc:postgresql://...): "
                    + redact(jdbcUrl), null);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot migrate the schema of " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
        return new Database(pool, sqlite);
    }

    /**
     * The database holds instance parameters and connection parameters (passwords among them):
     * a new file is created mode 0600 (SQLite gives its -wal and -shm files the same mode) in a
     * directory created mode 0700.
     */
    private static void createPrivately(Path path) throws java.io.IOException {
        Path parent = path.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(path)) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
    }

    private static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** A JDBC URL without its password parameter, for messages and logs (the one owner of that rule). */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    public boolean isSqlite() {
        return sqlite;
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * A new connection of its own, outside the pool, with the pool's URL and credentials: for
     * PostgreSQL's {@code LISTEN}, which holds its connection for as long as it listens. The
     * caller closes it.
     */
    public Connection dedicatedConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    /** Runs read-only {@code work} in autocommit mode (no write lock on SQLite). */
    public <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
