package org.slapgrid.node.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.daemon.NodeDaemon;
import org.slapgrid.slap.ComplianceApi;
import org.slapgrid.slap.model.Compliance;
import org.slapgrid.slap.model.Compliance.Action;
import org.slapgrid.slap.model.Compliance.Attachment;
import org.slapgrid.slap.model.Compliance.Module;
import org.slapgrid.slap.model.Compliance.Moduleset;
import org.slapgrid.slap.model.Compliance.RunRequest;
import org.slapgrid.slap.model.Compliance.TargetKind;
import org.slapgrid.slap.model.JobState;
import org.slapgrid.testing.Require;

/**
 * Compliance runs the master asks for (what {@code slapos compliance run} sends), end to end
 * with a real master and a real node daemon: a node-level run is a node-level job the daemon
 * runs on its compliance timer, an instance's run a partition job run in its partition as its
 * user; each ends with every module's status and the results are listed as any run's. The
 * daemon's own schedule is off, so every run seen here is one the master asked for.
 */
class ComplianceRunEndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void theMasterAsksTheNodeAndAnInstanceToRunCompliance() throws Exception {
        Require.that(NodeFixture.ROOT, "node-level modules run as root, an instance's as its partition's user");
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-crun", "sgcrun", 1)) {
            // conformant when the file the ruleset names exists in $HOME (root's: the module's directory; a partition's: itself)
            String url = ComplianceRelease.withModule(tmp.resolve("release"), "S10-marker", """
                    #!/bin/sh
                    case $1 in
                    check) echo "as $(id -un) in $HOME"; [ -f "$OSVC_COMP_MARKER" ] && exit 0; exit 1 ;;
                    fix) touch "$OSVC_COMP_MARKER" ;;
                    fixable) exit 2 ;;
                    esac
                    """);
            n.supplyAndBuild(url);
            String partition = n.admin().request(n.request("spdsvc01", url, Map.of())).partition();
            Path nodeMarker = tmp.resolve("node-conformant");
            Path partitionMarker = n.partition(partition).directory().resolve("svc-conformant");

            ComplianceApi admin = n.admin().compliance();
            admin.createRuleset("node", Map.of("marker", nodeMarker.toString()));
            admin.createRuleset("svc", Map.of("marker", partitionMarker.toString()));
            admin.createModuleset(new Moduleset("node", null, List.of(new Module("marker", false)), null, List.of("node")));
            admin.createModuleset(new Moduleset("svc", null, List.of(new Module("marker", false)), null, List.of("svc")));
            admin.attach(new Attachment(TargetKind.node, n.nodeId(), "node", null));
            admin.attach(new Attachment(TargetKind.instance, "spdsvc01", "svc", null));

            NodeDaemon daemon = new NodeDaemon(n.assemble(Duration.ofSeconds(10)), Duration.ofSeconds(5), n.logger())
                    .complianceEvery(Duration.ZERO); // no schedule: only what the master asks
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                // the node: check (not ok), then fix through a node-level job
                Compliance.Run checked = until(admin, admin.run(new RunRequest(TargetKind.node, n.nodeId(), Action.check, null, null)), n);
                assertThat(checked.state()).as(n.log()).isEqualTo(JobState.DONE);
                assertThat(checked.ok()).isFalse();
                assertThat(checked.parts()).singleElement().satisfies(p -> {
                    assertThat(p.partition()).isNull();
                    assertThat(p.modules()).singleElement().satisfies(m -> {
                        assertThat(m.module()).isEqualTo("marker");
                        assertThat(m.status()).isEqualTo(1);
                    });
                });
                assertThat(nodeMarker).doesNotExist();
                Compliance.Run fixed = until(admin, admin.run(new RunRequest(TargetKind.node, n.nodeId(), Action.fix, "node", null)), n);
                assertThat(fixed.ok()).as(n.log()).isTrue();
                assertThat(fixed.parts().get(0).modules().get(0).note()).isEqualTo("fixed");
                assertThat(nodeMarker).exists();
                assertThat(admin.results(TargetKind.node, n.nodeId(), 100)).anySatisfy(r -> {
                    assertThat(r.action()).isEqualTo(Action.fix);
                    assertThat(r.exitCode()).isZero();
                }).allSatisfy(r -> assertThat(r.partition()).isNull());

                // the instance: a partition job, its module run as the partition's user
                Compliance.Run svc = until(admin, admin.run(new RunRequest(TargetKind.instance, "spdsvc01", Action.fix, null, null)), n);
                assertThat(svc.ok()).as(n.log()).isTrue();
                assertThat(svc.parts()).singleElement().satisfies(p -> {
                    assertThat(p.partition()).isEqualTo(partition);
                    assertThat(p.instance()).isEqualTo("spdsvc01");
                });
                assertThat(partitionMarker).exists();
                assertThat(Files.getOwner(partitionMarker).getName()).isEqualTo(n.partition(partition).user());
                assertThat(admin.results(TargetKind.instance, "spdsvc01", 100)).anySatisfy(r -> {
                    assertThat(r.action()).isEqualTo(Action.check);
                    assertThat(r.exitCode()).isEqualTo(1);
                    assertThat(r.output()).contains("as " + n.partition(partition).user());
                });

                // a moduleset that reaches nothing on the node: the job fails, saying so
                admin.createModuleset(new Moduleset("elsewhere", null, List.of(new Module("absent", false)), null, null));
                Compliance.Run none = until(admin, admin.run(new RunRequest(TargetKind.node, n.nodeId(), Action.check, "elsewhere",
                        null)), n);
                assertThat(none.state()).isEqualTo(JobState.FAILED);
                assertThat(none.parts().get(0).output()).contains("no module of moduleset 'elsewhere' is attached to node " + n.nodeId());
            } finally {
                daemon.stop();
                thread.join(30_000);
            }
        }
    }

    private static Compliance.Run until(ComplianceApi api, Compliance.Run run, NodeFixture n) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.run(run.id()).state().isFinal());
        return api.run(run.id());
    }
}
