package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.NodeInfo;
import org.slapgrid.slap.model.SupplyState;

/**
 * Two masters on one database: a node long-polling master A sees a change made through master B
 * (A's notifier does not know it; its periodic version re-check does).
 */
class MultiMasterTest {
    @TempDir
    Path tmp;

    @Test
    void aLongPollOnOneMasterSeesAChangeMadeThroughAnother() throws Exception {
        MasterConfig config = MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO)
                .withRecheckInterval(Duration.ofMillis(200));
        try (MasterFixture a = new MasterFixture(config); MasterFixture b = new MasterFixture(config)) {
            SlapClient adminB = b.admin();
            String secret = adminB.registerNode("n1", List.of("slappart0")).secret();
            adminB.supply("https://example.org/sr.cfg", "n1", SupplyState.AVAILABLE);
            SlapClient nodeOnA = a.client(secret);
            long v = nodeOnA.nodeInfo("n1").version();
            CompletableFuture<Optional<NodeInfo>> poll = CompletableFuture.supplyAsync(() -> nodeOnA.nodeInfo("n1", v, Duration.ofSeconds(30)));
            adminB.request(InstanceRequest.of("through-b", "https://example.org/sr.cfg", Map.of()));
            await().atMost(Duration.ofSeconds(10)).until(poll::isDone);
            assertThat(poll.join()).hasValueSatisfying(info ->
                    assertThat(info.partitions().get(0).instance().name()).isEqualTo("through-b"));
        }
    }
}
