package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;

/**
 * The admin's verbs ({@code slapos token ...}, {@code slapos user set}, {@code slapos node
 * list|disable|share|delete}) against a real master. It caches credentials for 10 s, longer than
 * the 2 s a revocation may take: only the revocation's own eviction can pass the test.
 */
class AdminCommandsTest extends ConsoleTest {
    @Override
    Duration authCacheTtl() {
        return Duration.ofSeconds(10);
    }

    @Test
    void tokenRevokeMakesTheTokenFailWithinTwoSeconds() throws Exception {
        assertThat(slapos("token", "create", "bob", "--json")).isZero();
        JsonNode created = json();
        String token = created.get("token").asText();
        SlapClient bob = SlapClient.builder(master.url()).token(token).build();
        assertThat(bob.list()).as("bob's token works, and is now in the master's cache").isEmpty();

        assertThat(slapos("token", "list", "--kind", "user", "--json")).isZero();
        JsonNode list = json();
        assertThat(list.toString()).contains(created.get("id").asText()).doesNotContain(token);

        assertThat(slapos("token", "revoke", created.get("id").asText())).isZero();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                bob.list();
                return false;
            } catch (SlapException e) {
                return e.status() == 401;
            }
        });
        assertThat(slapos("token", "revoke", created.get("id").asText())).as("already revoked").isEqualTo(ExitCode.FAILURE);
    }

    @Test
    void tokenLoginLinkPrintsALinkToTheWebUiThatNoApiCallAccepts() throws Exception {
        assertThat(slapos("token", "login-link", "--json")).isZero();
        JsonNode link = json();
        String url = link.get("url").asText();
        assertThat(url).startsWith(master.url().resolve("/ui/login#once=sgl_").toString());
        assertThat(link.get("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
        SlapClient withLink = SlapClient.builder(master.url()).token(url.substring(url.indexOf('=') + 1)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(withLink::list).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void theAdminAllowsAUserNodesAndManagesThem() throws Exception {
        assertThat(slapos("token", "create", "alice", "--json")).isZero();
        SlapClient alice = SlapClient.builder(master.url()).token(json().get("token").asText()).build();
        assertThat(slapos("user", "set", "alice", "--may-register-nodes", "--partition-quota", "3", "--json")).isZero();
        JsonNode account = json();
        assertThat(account.get("mayRegisterNodes").asBoolean()).isTrue();
        assertThat(account.get("partitionQuota").asLong()).isEqualTo(3);
        alice.registerNode("alices", List.of("slappart0"));

        assertThat(slapos("node", "share", "alices", "bob", "--json")).isZero();
        assertThat(json().get("shared").asBoolean()).isTrue();
        assertThat(slapos("node", "unshare", "alices", "bob")).isZero();
        assertThat(slapos("node", "share", "alices", "*")).isZero();
        out.reset();
        assertThat(slapos("node", "disable", "alices", "--json")).isZero();
        assertThat(json().get(0).get("disabled").asBoolean()).isTrue();
        assertThat(slapos("node", "list", "--json")).isZero();
        JsonNode nodes = json();
        assertThat(nodes.get(0).get("owner").asText()).isEqualTo("alice");
        assertThat(nodes.get(0).get("sharedWith").get(0).asText()).isEqualTo("*");
        assertThat(slapos("node", "list")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NODE").contains("alices").contains("disabled");
        out.reset();

        assertThat(slapos("node", "delete", "alices", "--json")).isZero();
        assertThat(json().get("node").asText()).isEqualTo("alices");
        assertThat(alice.nodes()).isEmpty();
        assertThat(slapos("node", "delete", "alices")).as("gone").isEqualTo(ExitCode.FAILURE);
    }
}
