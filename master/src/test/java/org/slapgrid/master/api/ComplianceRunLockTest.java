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
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.ClusterRequest;
import org.slapgrid.slap.model.ClusterRole;
import org.slapgrid.slap.model.ClusterTopology;
import org.slapgrid.slap.model.Compliance;
import org.slapgrid.slap.model.Compliance.Action;
import org.slapgrid.slap.model.Compliance.RunRequest;
import org.slapgrid.slap.model.Compliance.TargetKind;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.JobReport;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;

/**
 * Issue 15: one compliance run at a time per target. A second run on a node (or an instance, or
 * a cluster reaching a member already running one) while the first has not ended is refused
 * with 409 {@code compliance_run_busy} naming the running run; runs on other targets proceed;
 * once the run ended, the next one is accepted. A real master over HTTP.
 */
class ComplianceRunLockTest {
    static final String SR = "https://example.org/sr/spdc.cfg";

    MasterFixture m;
    SlapClient admin;
    /** The nodes' own clients (their secrets): they read their documents and end their jobs. */
    SlapClient n1;
    SlapClient n2;

    @BeforeEach
    void startMasterWithTwoNodes(@TempDir Path tmp) throws Exception {
        m = new MasterFixture(MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(java.time.Duration.ZERO));
        admin = m.admin();
        n1 = m.client(admin.registerNode("n1", List.of("slappart0", "slappart1", "slappart2")).secret());
        n2 = m.client(admin.registerNode("n2", List.of("slappart0")).secret());
    }

    @AfterEach
    void stop() {
        if (m != null) {
            m.close();
        }
    }

    private static void busy(Runnable call, String running) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SlapException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.code()).isEqualTo("compliance_run_busy");
            assertThat(e.getMessage()).contains("compliance run " + running).contains("has not ended");
        });
    }

    @Test
    void aSecondRunOnTheSameTargetIsRefusedUntilTheFirstEnded() {
        Compliance.Run first = admin.compliance().run(new RunRequest(TargetKind.node, "n1", Action.fix, null, null));
        busy(() -> admin.compliance().run(new RunRequest(TargetKind.node, "n1", Action.check, null, null)), first.id());
        // another node is another target
        Compliance.Run other = admin.compliance().run(new RunRequest(TargetKind.node, "n2", Action.check, null, null));
        assertThat(other.id()).isNotEqualTo(first.id());

        // still refused while running; accepted once its node ended it
        String job = n1.nodeInfo("n1").jobs().get(0).id();
        n1.reportNodeJob("n1", job, new JobReport(JobState.RUNNING, null, null, null, null));
        busy(() -> admin.compliance().run(new RunRequest(TargetKind.node, "n1", Action.check, null, null)), first.id());
        n1.reportNodeJob("n1", job, new JobReport(JobState.DONE, 0, "ok", 5L, Map.of("ok", true, "modules", List.of())));
        Compliance.Run next = admin.compliance().run(new RunRequest(TargetKind.node, "n1", Action.check, null, null));
        assertThat(next.state()).isEqualTo(JobState.PENDING);
    }

    @Test
    void aClusterRunAndAMembersRunExcludeEachOtherButNotTheNodeLevel() {
        admin.supply(SR, "n1", SupplyState.AVAILABLE);
        admin.request(new InstanceRequest("solo", SR, "default", Map.of(), RequestedState.STARTED, false, Map.of("node", "n1")));
        admin.createCluster(new ClusterRequest("spdc", SR, ClusterTopology.FLEX, Map.of(),
                List.of(new ClusterRole("db", "default", Map.of(), 2, 1, 2))));
        Compliance.Run cluster = admin.compliance().run(new RunRequest(TargetKind.cluster, "spdc", Action.check, null, null));
        String member = "spdc/" + admin.cluster("spdc").members().get(0).name();
        busy(() -> admin.compliance().run(new RunRequest(TargetKind.instance, member, Action.check, null, null)), cluster.id());
        busy(() -> admin.compliance().run(new RunRequest(TargetKind.cluster, "spdc", Action.fix, null, null)), cluster.id());
        // the node level of the members' node and an instance outside the cluster are other targets
        admin.compliance().run(new RunRequest(TargetKind.node, "n1", Action.check, null, null));
        Compliance.Run solo = admin.compliance().run(new RunRequest(TargetKind.instance, "solo", Action.check, null, null));
        // a refused run leaves nothing behind: no job was added for it
        assertThat(n1.nodeInfo("n1").partitions().stream().mapToInt(p -> p.jobs().size()).sum()
                + n2.nodeInfo("n2").partitions().stream().mapToInt(p -> p.jobs().size()).sum()).isEqualTo(3);
        assertThat(solo.parts()).hasSize(1);
    }

    @Test
    void aRunOnAnotherUsersTargetIsStillNotFound() {
        Compliance.Run first = admin.compliance().run(new RunRequest(TargetKind.node, "n1", Action.fix, null, null));
        SlapClient bob = m.client(admin.createUserToken("bob", false).token());
        assertThatThrownBy(() -> bob.compliance().run(new RunRequest(TargetKind.node, "n1", Action.check, null, null)))
                .as("not a 409 that would tell bob of " + first.id())
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> m.client("no-such-token").compliance().run(new RunRequest(TargetKind.node, "n1", Action.check, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
