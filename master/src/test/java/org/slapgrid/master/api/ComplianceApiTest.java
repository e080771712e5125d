package org.slapgrid.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.ComplianceApi;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.Compliance;
import org.slapgrid.slap.model.Compliance.Action;
import org.slapgrid.slap.model.Compliance.Attachment;
import org.slapgrid.slap.model.Compliance.Module;
import org.slapgrid.slap.model.Compliance.Moduleset;
import org.slapgrid.slap.model.Compliance.ModulesetUpdate;
import org.slapgrid.slap.model.Compliance.TargetKind;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.RequestedState;

/**
 * Compliance at the master over HTTP (issue 15): seed 002's rulesets and modulesets (spdc.node
 * grouping spdc.packages and spdc.kernel), cycles refused, attachment authorised (node by its
 * owner or the admin, instance by its owner), a node's plan with the variables of every ruleset
 * reached, and results reported by the node and listed by their owners only.
 */
class ComplianceApiTest {
    static final String SR = "https://example.org/sr/spdc.cfg";

    @TempDir
    Path tmp;
    MasterFixture m;
    SlapClient admin;
    ComplianceApi alice;
    ComplianceApi bob;
    SlapClient aliceClient;
    SlapClient n1;

    MasterConfig config() throws Exception {
        return MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(java.time.Duration.ZERO)
                .withRecheckInterval(java.time.Duration.ofMillis(200));
    }

    @BeforeEach
    void start() throws Exception {
        m = new MasterFixture(config());
        admin = m.admin();
        n1 = m.client(admin.registerNode("n1", List.of("slappart0", "slappart1")).secret());
        admin.shareNode("n1", "alice");
        aliceClient = m.client(admin.createUserToken("alice", false).token());
        alice = aliceClient.compliance();
        bob = m.client(admin.createUserToken("bob", false).token()).compliance();
    }

    @AfterEach
    void stop() {
        if (m != null) {
            m.close();
        }
    }

    /** Seed 002's node configuration, as alice's: spdc.node groups spdc.packages and spdc.kernel. */
    void seedModulesets(ComplianceApi compliance) {
        compliance.createRuleset("spdc.packages", Map.of("spdc_pkg", List.of("sysstat", "docker.io", "btrfs-tools")));
        compliance.createRuleset("spdc.kernel", Map.of("spdc_kernel_sysctl",
                List.of(Map.of("key", "vm.swappiness", "index", 0, "op", ">=", "value", 5))));
        compliance.createModuleset(new Moduleset("spdc.packages", null, List.of(new Module("spdc.packages", false)), null,
                List.of("spdc.packages")));
        compliance.createModuleset(new Moduleset("spdc.kernel", null, List.of(new Module("spdc.kernel", true)), null,
                List.of("spdc.kernel")));
        compliance.createModuleset(new Moduleset("spdc.node", null, List.of(), List.of("spdc.packages", "spdc.kernel"), List.of()));
    }

    @Test
    void seedModulesetsNestAndACycleIsRefused() {
        seedModulesets(alice);
        assertThat(alice.moduleset("spdc.node").modulesets()).containsExactly("spdc.packages", "spdc.kernel");
        assertThat(alice.ruleset("spdc.packages").variables()).containsEntry("spdc_pkg", List.of("sysstat", "docker.io", "btrfs-tools"));

        assertThatThrownBy(() -> alice.updateModuleset("spdc.packages",
                new ModulesetUpdate(null, null, List.of("spdc.node"), null, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("cycle");
                    assertThat(e.getMessage()).contains("'spdc.packages' is already inside it");
                });
        assertThatThrownBy(() -> alice.updateModuleset("spdc.node",
                new ModulesetUpdate(null, null, List.of("spdc.node"), null, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.code()).isEqualTo("cycle"));
        assertThat(alice.moduleset("spdc.packages").modulesets()).isEmpty();

        // in use: neither a ruleset of a moduleset nor a moduleset inside another can go
        assertThatThrownBy(() -> alice.deleteRuleset("spdc.packages"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> alice.deleteModuleset("spdc.kernel"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(409));
        // keys that would be one variable are refused
        assertThatThrownBy(() -> alice.createRuleset("bad", Map.of("a.b", "1", "a_b", "2")))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.getMessage()).contains("OSVC_COMP_A_B"));
        // bob sees none of it and cannot use alice's names
        assertThat(bob.rulesets()).isEmpty();
        assertThatThrownBy(() -> bob.moduleset("spdc.node"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void attachmentsMakeTheNodesPlanAndResultsReachOnlyTheirOwners() {
        seedModulesets(alice);
        // alice may not attach to n1 at node level: it is the admin's node (shared with her, not hers)
        assertThatThrownBy(() -> alice.attach(new Attachment(TargetKind.node, "n1", "spdc.node", null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        seedModulesets(admin.compliance());
        admin.compliance().attach(new Attachment(TargetKind.node, "n1", "spdc.node", null));

        admin.supply(SR, "n1", org.slapgrid.slap.model.SupplyState.AVAILABLE);
        aliceClient.request(new InstanceRequest("spdsvc01", SR, "default", Map.of(), RequestedState.STARTED, false,
                Map.of("node", "n1")));
        alice.createRuleset("spdc.svc.db.cnf", Map.of("first_server_ip", "33", "n_servers", "64"));
        alice.createModuleset(new Moduleset("spdc.svc", null, List.of(new Module("spdc.svc.db.cnf", false)), null,
                List.of("spdc.svc.db.cnf")));
        alice.attach(new Attachment(TargetKind.instance, "spdsvc01", "spdc.svc", null));
        assertThatThrownBy(() -> bob.attach(new Attachment(TargetKind.instance, "spdsvc01", "spdc.svc", null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(alice.attachments(TargetKind.instance, "spdsvc01")).extracting(Attachment::moduleset)
                .containsExactly("spdc.svc");

        // only the node itself reads its plan
        assertThatThrownBy(() -> aliceClient.compliance().plan("n1"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(403));
        Compliance.Plan plan = n1.compliance().plan("n1");
        assertThat(plan.targets()).hasSize(2);
        Compliance.Target node = plan.targets().get(0);
        assertThat(node.nodeLevel()).isTrue();
        assertThat(node.modules()).extracting(Compliance.PlannedModule::name, Compliance.PlannedModule::autofix)
                .containsExactly(tuple("spdc.packages", false), tuple("spdc.kernel", true));
        assertThat(node.modules().get(0).modulesets()).contains("spdc.packages", "spdc.node");
        assertThat(node.variables()).containsOnlyKeys("spdc_pkg", "spdc_kernel_sysctl");
        Compliance.Target svc = plan.targets().get(1);
        assertThat(svc.instance()).isEqualTo("spdsvc01");
        assertThat(svc.softwareUrl()).isEqualTo(SR);
        assertThat(svc.variables()).containsEntry("n_servers", "64");

        // results: the node reports, the node's owner lists node-level ones, the instance's owner its own
        n1.compliance().report("n1", List.of(
                new Compliance.Result(null, null, null, "spdc.packages", Action.check, 1, "package docker.io is not installed",
                        12, 0),
                new Compliance.Result(null, svc.partition(), null, "spdc.svc.db.cnf", Action.check, 0, "ok", 3, 0)));
        assertThat(admin.compliance().results(null, "n1", 10)).singleElement().satisfies(r -> {
            assertThat(r.module()).isEqualTo("spdc.packages");
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.output()).contains("docker.io");
        });
        assertThat(alice.results(null, "spdsvc01", 10)).singleElement().satisfies(r -> {
            assertThat(r.instance()).isEqualTo("spdsvc01");
            assertThat(r.partition()).isEqualTo(svc.partition());
        });
        assertThatThrownBy(() -> alice.results(TargetKind.node, "n1", 10))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> bob.results(null, "spdsvc01", 10))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        // a node reports only on its own partitions
        assertThatThrownBy(() -> n1.compliance().report("n1", List.of(new Compliance.Result(null, "slappart9", null, "x",
                Action.check, 0, "", 0, 0)))).isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));

        // detached: the instance's target leaves the plan; an attached moduleset cannot be deleted
        assertThatThrownBy(() -> alice.deleteModuleset("spdc.svc"))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(409));
        alice.detach(new Attachment(TargetKind.instance, "spdsvc01", "spdc.svc", null));
        assertThat(n1.compliance().plan("n1").targets()).hasSize(1);
        alice.deleteModuleset("spdc.svc");
    }

    @Test
    void aFilteredAttachmentAppliesOnlyWhereTheNodeMatches() {
        seedModulesets(admin.compliance());
        // OpenSVC's filtersets: spdc.kernel only on Debian nodes tagged sm, spdc.packages only on nodes n*
        admin.compliance().attach(new Attachment(TargetKind.node, "n1", "spdc.kernel", null,
                new Compliance.Filter(null, "debian-*", "sm")));
        admin.compliance().attach(new Attachment(TargetKind.node, "n1", "spdc.packages", null,
                new Compliance.Filter("n?", null, null)));
        assertThat(admin.compliance().attachments(TargetKind.node, "n1")).extracting(Attachment::moduleset, Attachment::filter)
                .containsExactly(tuple("spdc.kernel", new Compliance.Filter(null, "debian-*", "sm")),
                        tuple("spdc.packages", new Compliance.Filter("n?", null, null)));

        java.util.function.Function<Compliance.Facts, List<String>> modules = facts -> n1.compliance().plan("n1", facts).targets()
                .stream().flatMap(t -> t.modules().stream()).map(Compliance.PlannedModule::name).toList();
        assertThat(modules.apply(new Compliance.Facts("debian-12", List.of("sm", "pod01")))).containsExactly("spdc.kernel", "spdc.packages");
        assertThat(modules.apply(new Compliance.Facts("debian-12", List.of("db")))).containsExactly("spdc.packages");
        assertThat(modules.apply(new Compliance.Facts("ubuntu-24.04", List.of("sm")))).containsExactly("spdc.packages");
        assertThat(modules.apply(Compliance.Facts.NONE)).containsExactly("spdc.packages"); // no OS told: no os filter matches
        // the variables come only with what applies
        assertThat(n1.compliance().plan("n1", Compliance.Facts.NONE).targets().get(0).variables()).containsOnlyKeys("spdc_pkg");

        // attaching again replaces the filter; a bad tag expression is refused, naming it
        admin.compliance().attach(new Attachment(TargetKind.node, "n1", "spdc.packages", null, new Compliance.Filter("x*", null, null)));
        assertThat(modules.apply(new Compliance.Facts("debian-12", List.of("sm")))).containsExactly("spdc.kernel");
        assertThatThrownBy(() -> admin.compliance().attach(new Attachment(TargetKind.node, "n1", "spdc.packages", null,
                new Compliance.Filter(null, null, "sm+,db")))).isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("filter.tags");
                });
    }

    @Test
    void aRunTheMasterAsksForIsANodeJobOrPartitionJobsAndEndsWithTheirModules() {
        seedModulesets(admin.compliance());
        admin.compliance().attach(new Attachment(TargetKind.node, "n1", "spdc.node", null));
        // alice may not run compliance on a node she does not manage; bob cannot see the run
        assertThatThrownBy(() -> alice.run(new Compliance.RunRequest(TargetKind.node, "n1", Action.fix, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        Compliance.Run run = admin.compliance().run(new Compliance.RunRequest(TargetKind.node, "n1", Action.fix, "spdc.node", null));
        assertThat(run.state()).isEqualTo(org.slapgrid.slap.model.JobState.PENDING);
        assertThat(run.parts()).singleElement().satisfies(p -> assertThat(p.node()).isEqualTo("n1"));
        assertThatThrownBy(() -> bob.run(run.id())).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(404));

        // the node's document carries it as a node-level job; the node reports it as a partition job
        org.slapgrid.slap.model.NodeInfo doc = n1.nodeInfo("n1");
        assertThat(doc.jobs()).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo("compliance");
            assertThat(j.args()).containsEntry("action", "fix").containsEntry("moduleset", "spdc.node").containsEntry("run", run.id());
        });
        String job = doc.jobs().get(0).id();
        n1.reportNodeJob("n1", job, new org.slapgrid.slap.model.JobReport(org.slapgrid.slap.model.JobState.RUNNING, null, null,
                null, null));
        assertThat(admin.compliance().run(run.id()).state()).isEqualTo(org.slapgrid.slap.model.JobState.RUNNING);
        n1.reportNodeJob("n1", job, new org.slapgrid.slap.model.JobReport(org.slapgrid.slap.model.JobState.DONE, 1,
                "spdc.packages fix: not ok", 40L, Map.of("ok", false, "modules", List.of(
                        Map.of("module", "spdc.packages", "status", 1, "note", "not fixable, skip fix"),
                        Map.of("module", "spdc.kernel", "status", 0, "note", "fixed")))));
        Compliance.Run done = admin.compliance().run(run.id());
        assertThat(done.state()).isEqualTo(org.slapgrid.slap.model.JobState.DONE);
        assertThat(done.ok()).isFalse();
        assertThat(done.parts().get(0).modules()).extracting(Compliance.ModuleStatus::module, Compliance.ModuleStatus::status)
                .containsExactly(tuple("spdc.packages", 1), tuple("spdc.kernel", 0));
        assertThat(n1.nodeInfo("n1").jobs()).isEmpty(); // ended: out of the document
        // another end is refused; another node's job is answered as missing
        assertThatThrownBy(() -> n1.reportNodeJob("n1", job, new org.slapgrid.slap.model.JobReport(
                org.slapgrid.slap.model.JobState.FAILED, null, "x", 1L, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(409));
        SlapClient n2 = m.client(admin.registerNode("n2", List.of("slappart0")).secret());
        assertThatThrownBy(() -> n2.reportNodeJob("n2", job, new org.slapgrid.slap.model.JobReport(
                org.slapgrid.slap.model.JobState.DONE, 0, "", 1L, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));

        // an instance: a partition job of its partition, seen by its owner
        admin.supply(SR, "n1", org.slapgrid.slap.model.SupplyState.AVAILABLE);
        aliceClient.request(new InstanceRequest("spdsvc01", SR, "default", Map.of(), RequestedState.STARTED, false,
                Map.of("node", "n1")));
        Compliance.Run svc = alice.run(new Compliance.RunRequest(TargetKind.instance, "spdsvc01", null, null, "spdc.svc.db.cnf"));
        assertThat(svc.action()).isEqualTo(Action.check);
        assertThat(svc.parts()).singleElement().satisfies(p -> assertThat(p.instance()).isEqualTo("spdsvc01"));
        assertThat(n1.nodeInfo("n1").partitions()).anySatisfy(p -> assertThat(p.jobs()).singleElement().satisfies(j -> {
            assertThat(j.kind()).isEqualTo("compliance");
            assertThat(j.args()).containsEntry("module", "spdc.svc.db.cnf").containsEntry("action", "check");
        }));
        assertThatThrownBy(() -> bob.run(new Compliance.RunRequest(TargetKind.instance, "spdsvc01", null, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
    @Test
    void aClusterRunIsOnePartitionJobPerMemberOnANode() {
        org.slapgrid.slap.model.ClusterInfo c = aliceClient.createCluster(new org.slapgrid.slap.model.ClusterRequest("spdc", SR,
                org.slapgrid.slap.model.ClusterTopology.FLEX, Map.of(), List.of(new org.slapgrid.slap.model.ClusterRole("db",
                "default", Map.of(), 2, 1, 2))));
        Compliance.Run run = alice.run(new Compliance.RunRequest(TargetKind.cluster, "spdc", Action.auto, null, null));
        assertThat(run.parts()).hasSize(2).allSatisfy(p -> {
            assertThat(p.node()).isEqualTo("n1");
            assertThat(p.instance()).isNotNull();
            assertThat(p.state()).isEqualTo(org.slapgrid.slap.model.JobState.PENDING);
        });
        assertThat(n1.nodeInfo("n1").partitions()).allSatisfy(p -> assertThat(p.jobs()).singleElement()
                .satisfies(j -> assertThat(j.args()).containsEntry("action", "auto").containsEntry("run", run.id())));
        assertThatThrownBy(() -> bob.run(new Compliance.RunRequest(TargetKind.cluster, "spdc", null, null, null)))
                .isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(c.name()).isEqualTo("spdc");
    }

    @Test
    void anInstanceTagFilterMatchesTheTagsOfItsServices() {
        admin.supply(SR, "n1", org.slapgrid.slap.model.SupplyState.AVAILABLE);
        String partition = aliceClient.request(new InstanceRequest("spdsvc01", SR, "default", Map.of(), RequestedState.STARTED,
                false, Map.of("node", "n1"))).partition();
        alice.createModuleset(new Moduleset("db", null, List.of(new Module("spdc.svc.db.cnf", false)), null, null));
        alice.createModuleset(new Moduleset("sm", null, List.of(new Module("spdc.svc.sm.cnf", false)), null, null));
        alice.attach(new Attachment(TargetKind.instance, "spdsvc01", "db", null, new Compliance.Filter(null, null, null, "db+pod01")));
        alice.attach(new Attachment(TargetKind.instance, "spdsvc01", "sm", null, new Compliance.Filter(null, null, null, "sm")));
        java.util.function.Supplier<List<String>> modules = () -> n1.compliance().plan("n1", Compliance.Facts.NONE).targets()
                .stream().flatMap(t -> t.modules().stream()).map(Compliance.PlannedModule::name).toList();
        assertThat(modules.get()).isEmpty(); // no status reported yet: the instance has no tags
        n1.reportStatus("n1", partition, new org.slapgrid.slap.model.PartitionStatus(List.of(
                new org.slapgrid.slap.model.PartitionStatus.Service("mariadb-pod01", "RUNNING", 12, 0L, 0, List.of("db", "pod01"), false)),
                List.of(), null, null));
        assertThat(modules.get()).containsExactly("spdc.svc.db.cnf");
        assertThat(alice.attachments(TargetKind.instance, "spdsvc01")).extracting(a -> a.filter().describe())
                .containsExactly("instance tags db+pod01", "instance tags sm");
    }
}
