package org.slapgrid.master.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on an embedded SQLite file. */
class SqliteStoreTest extends StoreContractTest {
    @TempDir
    Path tmp;

    @Override
    String newDatabaseUrl() {
        return remember("jdbc:sqlite:" + tmp.resolve("sub/master.db"));
    }
}
