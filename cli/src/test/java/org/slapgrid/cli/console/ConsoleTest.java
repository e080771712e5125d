package org.slapgrid.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.cli.Main;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.Json;

/**
 * The console tests' one fixture: a real master on 127.0.0.1 for each test, and the console run
 * through {@link Main#run} as a user types it, with the admin's token; stdout and stderr captured.
 */
abstract class ConsoleTest {
    @TempDir
    Path tmp;
    Master master;
    Path tokenFile;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    /** How long the master caches a credential: by default nothing (a revocation is seen at once). */
    Duration authCacheTtl() {
        return Duration.ZERO;
    }

    @BeforeEach
    void startMaster() {
        master = Master.start(MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0)
                .withAuthCacheTtl(authCacheTtl()));
        tokenFile = master.config().adminTokenFile();
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopMaster() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        master.close();
    }

    /** {@code slapos ARGS --master-url URL --token-file ADMIN}: its exit status; stdout and stderr then hold what it printed. */
    int slapos(String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--master-url", master.url().toString(), "--token-file", tokenFile.toString()));
        return Main.run(all.toArray(String[]::new));
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Stdout so far, then forgotten. */
    String takeOut() {
        String s = stdout();
        out.reset();
        return s;
    }

    /** Stdout as JSON. */
    JsonNode json() throws IOException {
        return Json.lenient().readTree(stdout());
    }
}
