package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.master.store.PostgresFixture;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.SupplyState;

/**
 * Two masters on one real PostgreSQL behave as one: a change committed through either wakes a
 * node long-polling the other at once (LISTEN/NOTIFY; the periodic re-check is set to a minute
 * here, so it cannot be what wakes it), also after the listening connection was killed, and
 * the node's document served by either is never stale. Each wake-up is asserted within the
 * target, 100 ms from the commit's answer to the poll's (issue 18), 500 ms under CI=true, where
 * the machine runs other builds: still far from the one-minute re-check, so only the
 * notification can meet it. The measured wake-ups are printed (docs/benchmarks.md).
 */
class PostgresMultiMasterTest {
    private static final String SR = "https://example.org/sr.cfg";
    private static final Duration WAKE_UP = Duration.ofMillis("true".equals(System.getenv("CI")) ? 500 : 100);
    @RegisterExtension
    static final PostgresFixture POSTGRES = new PostgresFixture("multi");

    @TempDir
    Path tmp;

    private MasterConfig config() throws Exception {
        return MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMinutes(1)).withDb(POSTGRES.newDatabase());
    }

    /** Long-polls node n1 through {@code poller} while {@code writer} changes it; returns the ms from commit to answer. */
    private static long wakeUp(SlapClient poller, SlapClient writer, String instance, int round) {
        long known = poller.nodeInfo("n1").version();
        CompletableFuture<Optional<NodeInfo>> poll = CompletableFuture.supplyAsync(
                () -> poller.nodeInfo("n1", known, Duration.ofSeconds(30)));
        AtomicLong answered = new AtomicLong();
        poll.thenRun(() -> answered.set(System.nanoTime()));
        writer.request(InstanceRequest.of(instance, SR, Map.of("round", String.valueOf(round))));
        long committed = System.nanoTime();
        await().atMost(WAKE_UP).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> answered.get() != 0);
        assertThat(poll.join()).hasValueSatisfying(info -> assertThat(info.partitions())
                .anySatisfy(p -> assertThat(p.instance()).isNotNull()
                        .satisfies(i -> assertThat(i.parameters()).containsEntry("round", String.valueOf(round)))));
        return Math.max(0, (answered.get() - committed) / 1_000_000);
    }

    @Test
    void aChangeThroughOneMasterWakesALongPollOnTheOther() throws Exception {
        MasterConfig config = config();
        try (MasterFixture a = new MasterFixture(config); MasterFixture b = new MasterFixture(config)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> a.master.listensToOtherMasters() && b.master.listensToOtherMasters());
            SlapClient adminA = a.admin();
            SlapClient adminB = b.admin();
            String secret = adminA.registerNode("n1", List.of("slappart0", "slappart1")).secret();
            adminA.supply(SR, "n1", SupplyState.AVAILABLE);
            SlapClient nodeOnA = a.client(secret);
            SlapClient nodeOnB = b.client(secret);
            List<Long> aToB = new ArrayList<>();
            List<Long> bToA = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                aToB.add(wakeUp(nodeOnB, adminA, "first", round));
                bToA.add(wakeUp(nodeOnA, adminB, "second", round));
            }
            System.out.println("cross-master wake-up, commit to answer (ms): A->B " + aToB + ", B->A " + bToA);

            // The listening connection dies (server restart, network): it reconnects, and wakes again.
            try (Connection c = DriverManager.getConnection(config.dbUrl(), "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE query IN ('LISTEN slapgrid_node', 'SELECT 1') AND pid <> pg_backend_pid()");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> a.master.listensToOtherMasters() && b.master.listensToOtherMasters());
            System.out.println("after reconnection (ms): A->B " + wakeUp(nodeOnB, adminA, "first", 99));
        }
    }

    @Test
    void theNodeDocumentIsNeverStaleOnEitherMaster() throws Exception {
        MasterConfig config = config();
        try (MasterFixture a = new MasterFixture(config); MasterFixture b = new MasterFixture(config)) {
            SlapClient adminA = a.admin();
            SlapClient adminB = b.admin();
            String secret = adminA.registerNode("n1", List.of("slappart0")).secret();
            adminA.supply(SR, "n1", SupplyState.AVAILABLE);
            for (int round = 0; round < 5; round++) {
                SlapClient writer = round % 2 == 0 ? adminA : adminB;
                writer.request(InstanceRequest.of("one", SR, Map.of("round", String.valueOf(round))));
                for (MasterFixture m : List.of(a, b)) { // each master cached the previous round's document
                    NodeInfo info = m.client(secret).nodeInfo("n1");
                    assertThat(info.partitions().get(0).instance().parameters()).containsEntry("round", String.valueOf(round));
                }
            }
            // Deleted and registered again under the same id, through A: B must not serve its cached document.
            assertThat(b.client(secret).nodeInfo("n1").partitions().get(0).instance()).isNotNull();
            adminA.deleteNode("n1");
            String again = adminA.registerNode("n1", List.of("slappart0")).secret();
            NodeInfo fresh = b.client(again).nodeInfo("n1");
            assertThat(fresh.partitions().get(0).instance()).isNull();
            assertThat(fresh.software()).isEmpty();
        }
    }
}
