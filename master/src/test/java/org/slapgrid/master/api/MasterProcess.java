package org.slapgrid.master.api;

import java.nio.file.Path;
import java.time.Duration;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;

/** A master in its own JVM, for tests that kill it with SIGKILL: args data-dir, JDBC URL; prints its URL, then serves. */
public final class MasterProcess {
    public static void main(String[] args) throws Exception {
        MasterConfig config = MasterConfig.defaults(Path.of(args[0])).withListen("127.0.0.1", 0)
                .withAuthCacheTtl(Duration.ZERO).withDb(args[1]);
        Master master = Master.start(config);
        System.out.println("LISTENING " + master.url());
        System.out.flush();
        Thread.currentThread().join();
    }
}
