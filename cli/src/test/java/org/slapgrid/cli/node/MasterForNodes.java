package org.slapgrid.cli.node;

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

/**
 * The fixture of the tests that register nodes: a real master on 127.0.0.1 for each test (in
 * {@code tmp/master}, credentials not cached), and {@code slapos node register} against it with
 * the admin's token.
 */
abstract class MasterForNodes {

    @TempDir
    Path tmp;

    Master master;
    Path adminToken;

    @BeforeEach
    void startMaster() {
        MasterConfig mc = MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO);
        master = Master.start(mc);
        adminToken = mc.adminTokenFile();
    }

    @AfterEach
    void stopMaster() {
        master.close();
    }

    /** {@code slapos node register --config CFG --master URL --token-file ADMIN ARGS}: its exit status. */
    int register(Path cfg, String... args) {
        List<String> all = new ArrayList<>(List.of("node", "register", "--config", cfg.toString(), "--master",
                master.url().toString(), "--token-file", adminToken.toString()));
        all.addAll(List.of(args));
        return Main.run(all.toArray(String[]::new));
    }
}
