package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.PartitionStatus;
import org.slapgrid.slap.model.PartitionStatus.Hold;
import org.slapgrid.slap.model.PartitionStatus.Service;

/**
 * Issue 15: {@code slapos info NAME} says why each held service is held, as its node reported
 * it: a stop by tag kept at the master or on the node (with the deciding expression), or a
 * failover standby (with the cluster), in the table and as {@code services[].hold.kind} in
 * {@code --json}. The master takes from a node only a known kind and, as the detail, a canonical
 * tag expression or a name without control characters (what the terminal then shows).
 */
class InfoHoldLabelsTest extends ConsoleTest {
    static final String SR = "https://example.org/sr/software.cfg";

    SlapClient node;

    @BeforeEach
    void registerNode() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(tokenFile).strip()).build();
        node = SlapClient.builder(master.url()).token(admin.registerNode("n1", List.of("slappart0")).secret()).build();
        assertThat(slapos("supply", SR, "n1")).isZero();
        assertThat(slapos("request", "pods", SR)).isZero();
    }

    private static Service held(String name, List<String> tags, Hold hold) {
        return new Service(name, "STOPPED", null, null, 0, tags, true, false, null, hold);
    }

    @Test
    void eachHeldServiceSaysWhyItIsHeld() throws Exception {
        node.reportStatus("n1", "slappart0", new PartitionStatus(List.of(
                held("pod01-sm", List.of("sm", "pod01"), new Hold(Hold.TAG, "sm+pod01")),
                held("pod01-db", List.of("db", "pod01"), new Hold(Hold.NODE, "db")),
                held("web", List.of(), new Hold(Hold.STANDBY, "fo")),
                held("old", List.of("x"), null),
                new Service("monitor", "RUNNING", 42, 1L, 0)), List.of(), null, null));

        assertThat(slapos("info", "pods")).as(stderr()).isZero();
        String shown = takeOut();
        assertThat(shown).containsPattern("service\\.pod01-sm +held: stopped by tag expression 'sm\\+pod01' at the master")
                .containsPattern("service\\.pod01-db +held: stopped by tag expression 'db' on the node")
                .containsPattern("service\\.web +held: failover standby of cluster 'fo'")
                .containsPattern("service\\.old +held: stopped on purpose")
                .containsPattern("service\\.monitor +RUNNING pid 42")
                .doesNotContain("(by tag)");

        assertThat(slapos("info", "pods", "--json")).isZero();
        JsonNode services = new ObjectMapper().readTree(takeOut()).get("status").get("services");
        assertThat(services.get(0).get("hold").get("kind").asText()).isEqualTo("tag");
        assertThat(services.get(0).get("hold").get("detail").asText()).isEqualTo("sm+pod01");
        assertThat(services.get(1).get("hold").get("kind").asText()).isEqualTo("node");
        assertThat(services.get(2).get("hold").get("kind").asText()).isEqualTo("standby");
        assertThat(services.get(2).get("hold").get("detail").asText()).isEqualTo("fo");
        assertThat(services.get(4).get("hold").isNull()).isTrue();
    }

    @Test
    void aNodeCannotMakeTheTerminalShowAnything() {
        for (Hold bad : List.of(new Hold("because", null), new Hold(Hold.TAG, "sm\u001b[2Jx"), new Hold(Hold.NODE, "a, b"),
                new Hold(Hold.STANDBY, "fo\u001b]0;owned\u0007"))) {
            assertThatThrownBy(() -> node.reportStatus("n1", "slappart0", new PartitionStatus(
                    List.of(held("pod01-sm", List.of("sm"), bad)), List.of(), null, null)))
                    .as(bad.toString()).isInstanceOfSatisfying(SlapException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).contains("services[].hold.");
                    });
        }
        assertThat(slapos("info", "pods")).isZero();
        assertThat(takeOut()).doesNotContain("service.pod01-sm");
        // the status route asks for the node's own secret, as every report does
        SlapClient anonymous = SlapClient.builder(master.url()).build();
        assertThatThrownBy(() -> anonymous.reportStatus("n1", "slappart0", new PartitionStatus(List.of(), List.of(), null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
