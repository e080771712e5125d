package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.tags.TagRule;

/**
 * Actions by tag at the master (docs/tags.md): a stop or start by tag is kept as the instance's
 * desired state and reaches every member's node in its document, waking it; bad input is 400,
 * another user's instance or cluster 404.
 */
class TagApiTest {
    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    SlapClient alice;
    SlapClient bob;
    SlapClient n1;
    SlapClient n2;

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(tmp);
        admin = m.admin();
        n1 = m.client(admin.registerNode("n1", List.of("slappart0")).secret());
        n2 = m.client(admin.registerNode("n2", List.of("slappart0")).secret());
        admin.shareNode("n1", "alice");
        admin.shareNode("n2", "alice");
        alice = m.client(admin.createUserToken("alice", false).token());
        bob = m.client(admin.createUserToken("bob", false).token());
        alice.createCluster(new ClusterRequest("spd", "https://example.org/sr/spd.cfg", ClusterTopology.FLEX, Map.of(),
                List.of(new ClusterRole("pod", "default", null, 2, 2, 2))));
    }

    @AfterEach
    void stop() {
        if (m != null) {
            m.close();
        }
    }

    private static Instance member(SlapClient node, String nodeId) {
        return ClusterApiTest.instanceOf(node.nodeInfo(nodeId), node.nodeInfo(nodeId).partitions().get(0).instance().name());
    }

    @Test
    void aClusterStopByTagReachesEveryMembersNodeAndAStartUndoesIt() {
        long v1 = n1.nodeInfo("n1").version();
        long v2 = n2.nodeInfo("n2").version();
        long ts = member(n1, "n1").timestamp();
        alice.clusterServices("spd", "stop", "sm + pod02,db");
        assertThat(n1.nodeInfo("n1").version()).as("woken").isGreaterThan(v1);
        assertThat(n2.nodeInfo("n2").version()).isGreaterThan(v2);
        assertThat(member(n1, "n1").timestamp()).isGreaterThan(ts);
        for (SlapClient[] n : new SlapClient[][] {{n1}, {n2}}) {
            String id = n[0] == n1 ? "n1" : "n2";
            assertThat(member(n[0], id).tagRules()).containsExactly(new TagRule("sm+pod02,db", true));
        }
        alice.clusterServices("spd", "start", "sm+pod02,db");
        assertThat(member(n1, "n1").tagRules()).as("the start of the same expression replaces its stop").isEmpty();

        alice.instanceServices("spd/pod.1", "stop", "pod01");
        assertThat(alice.info("spd/pod.1").tagRules()).containsExactly(new TagRule("pod01", true));
        assertThat(alice.info("spd/pod.0").tagRules()).as("one instance only").isEmpty();
    }

    @Test
    void badExpressionsAndActionsAre400AndAnotherUsersAre404() {
        assertThatThrownBy(() -> alice.clusterServices("spd", "stop", "a,,b"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("empty tag");
        assertThatThrownBy(() -> alice.clusterServices("spd", "pause", "a"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("'stop', 'start' or 'restart'");
        assertThatThrownBy(() -> bob.clusterServices("spd", "stop", "pod01"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> bob.instanceServices("spd/pod.0", "stop", "pod01"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(alice.info("spd/pod.0").tagRules()).isEmpty();
    }

    @Test
    void aRestartByTagIsARestartJobOnEachMembersNodeNotARule() {
        alice.clusterServices("spd", "restart", "sm , pod02");
        for (String id : List.of("n1", "n2")) {
            SlapClient node = id.equals("n1") ? n1 : n2;
            assertThat(node.nodeInfo(id).partitions().get(0).jobs()).singleElement().satisfies(j -> {
                assertThat(j.kind()).isEqualTo("restart");
                assertThat(j.args()).containsEntry("tags", "sm,pod02");
            });
            assertThat(member(node, id).tagRules()).as("not desired state").isEmpty();
        }
        alice.instanceServices("spd/pod.0", "restart", "db");
        String node = alice.info("spd/pod.0").node();
        SlapClient client = node.equals("n1") ? n1 : n2;
        assertThat(client.nodeInfo(node).partitions().get(0).jobs()).extracting(j -> j.args().get("tags"))
                .containsExactly("sm,pod02", "db");
        assertThatThrownBy(() -> alice.instanceServices("spd/pod.0", "restart", "+"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
