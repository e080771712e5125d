package org.slapgrid.node.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.exec.PartitionExecutor;
import org.slapgrid.node.software.ReleaseCopy;
import org.slapgrid.slap.ComplianceApi;
import org.slapgrid.slap.model.Compliance;
import org.slapgrid.slap.model.Compliance.Action;
import org.slapgrid.slap.model.Compliance.Attachment;
import org.slapgrid.slap.model.Compliance.Module;
import org.slapgrid.slap.model.Compliance.Moduleset;
import org.slapgrid.slap.model.Compliance.TargetKind;
import org.slapgrid.testing.Require;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Compliance with real parts (issue 15, "Done when"): a real master, a real node that builds
 * the compliance-spdc release (seed 002's modules, shaped as its 50-spdc.packages, calling
 * OpenSVC's files object), seed 002's rulesets driving real files on the node, modulesets
 * attached to the node at the master; check reports 1, fix repairs and the re-check reports 0,
 * auto leaves a non-autofix module unfixed, a module a non-root user could change is refused
 * at node level, an instance's module runs as its partition's user, and every result is
 * listed at the master with its output.
 */
class ComplianceEndToEndTest {

    /** Maven runs the tests with the module as working directory. */
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    static final String SUDOERS = "Defaults        secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/etc/opensvc\"";
    static final String GRUB = "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX transparent_hugepage=never\"";

    @Test
    void seedModulesCheckFixAutoAndRefuseWhatANonRootUserCouldChange() throws Exception {
        Require.that(NodeFixture.ROOT, "runs node-level modules as root, and an instance's as its partition's user");
        Require.that(Files.isExecutable(Path.of("/usr/bin/python3")), "the modules' files.py needs python3");
        try (NodeFixture n = NodeFixture.start(tmp, "node-comp", "sgcomp", 1)) {
            String url = ReleaseCopy.of(REPOSITORY, "compliance-spdc", tmp.resolve("repo")).toString();
            n.supplyAndBuild(url);
            Path etc = Files.createDirectories(tmp.resolve("etc"));
            Path sudoers = etc.resolve("sudoers.d/opensvc");
            Path grub = etc.resolve("default/grub.d/60-spdc.cfg");

            // seed 002's rulesets, their files moved below the test's directory
            ComplianceApi admin = n.admin().compliance();
            admin.createRuleset("spdc.opensvc", Map.of("spdc_opensvc_file_sudo", Map.of("path", sudoers.toString(),
                    "mode", 644, "uid", "root", "gid", "root", "fmt", SUDOERS)));
            admin.createRuleset("spdc.kernel", Map.of("spdc_kernel_file_thp", Map.of("path", grub.toString(),
                    "mode", 644, "uid", "root", "gid", "root", "fmt", GRUB)));
            admin.createModuleset(new Moduleset("spdc.opensvc", null, List.of(new Module("spdc.opensvc", false)), null,
                    List.of("spdc.opensvc")));
            admin.createModuleset(new Moduleset("spdc.kernel", null, List.of(new Module("spdc.kernel", true)), null,
                    List.of("spdc.kernel")));
            admin.createModuleset(new Moduleset("spdc.node", null, List.of(), List.of("spdc.opensvc", "spdc.kernel"), List.of()));
            admin.attach(new Attachment(TargetKind.node, n.nodeId(), "spdc.node", null));

            Files.createDirectories(sudoers.getParent());
            Files.writeString(sudoers, "Defaults secure_path=\"/tmp/evil\"\n");
            ComplianceRun run = new ComplianceRun(n.config(), n.node(), n.assembled().limits(), new PartitionExecutor(), n.logger());

            // check: both not ok, in the order of their numbers
            ComplianceRun.Summary checked = run.run(new ComplianceRun.Selection(Action.check, null, null), n.partitions());
            assertThat(checked.modules()).as(n.log()).extracting(ComplianceRun.ModuleOutcome::module, ComplianceRun.ModuleOutcome::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("spdc.opensvc", 1), org.assertj.core.groups.Tuple.tuple("spdc.kernel", 1));
            assertThat(checked.reportError()).isNull();
            assertThat(Files.readString(sudoers)).contains("/tmp/evil");

            // fix of one module: check 1, fixable 2, fix 0, check 0; the file repaired
            ComplianceRun.Summary fixed = run.run(new ComplianceRun.Selection(Action.fix, null, "spdc.opensvc"), n.partitions());
            assertThat(fixed.modules()).singleElement().satisfies(o -> {
                assertThat(o.runs()).extracting(Compliance.Result::action, Compliance.Result::exitCode).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Action.check, 1), org.assertj.core.groups.Tuple.tuple(Action.fixable, 2),
                        org.assertj.core.groups.Tuple.tuple(Action.fix, 0), org.assertj.core.groups.Tuple.tuple(Action.check, 0));
                assertThat(o.status()).isZero();
            });
            assertThat(Files.readString(sudoers)).isEqualTo(SUDOERS);
            assertThat(run.run(new ComplianceRun.Selection(Action.fix, null, "spdc.opensvc"), n.partitions()).modules())
                    .singleElement().satisfies(o -> assertThat(o.note()).isEqualTo("check passed, skip fix"));

            // auto: the autofix module (spdc.kernel) is fixed, the other only checked and left as it is
            Files.writeString(sudoers, "broken again\n");
            ComplianceRun.Summary auto = run.run(new ComplianceRun.Selection(Action.auto, "spdc.node", null), n.partitions());
            assertThat(auto.modules()).extracting(ComplianceRun.ModuleOutcome::module, ComplianceRun.ModuleOutcome::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("spdc.opensvc", 1), org.assertj.core.groups.Tuple.tuple("spdc.kernel", 0));
            // OpenSVC's check: a module not ok is also asked whether it is fixable (logged), nothing more
            assertThat(auto.modules().get(0).runs()).extracting(Compliance.Result::action).containsExactly(Action.check, Action.fixable);
            assertThat(Files.readString(sudoers)).isEqualTo("broken again\n");
            assertThat(Files.readString(grub)).isEqualTo(GRUB);

            // results at the master, with their output
            List<Compliance.Result> results = admin.results(TargetKind.node, n.nodeId(), 100);
            assertThat(results).anySatisfy(r -> {
                assertThat(r.module()).isEqualTo("spdc.opensvc");
                assertThat(r.action()).isEqualTo(Action.fix);
                assertThat(r.exitCode()).isZero();
                assertThat(r.output()).contains(sudoers + " written");
            });
            assertThat(results).anySatisfy(r -> {
                assertThat(r.action()).isEqualTo(Action.check);
                assertThat(r.exitCode()).isEqualTo(1);
                assertThat(r.output()).contains(sudoers + " content differs from the rule");
            });

            // a module a partition's user may write is refused at node level, and does not run
            Path tree = n.software().directoryOf(url);
            Path lib = tree.resolve("compliance/com.opensvc/files.py");
            String partitionUser = n.partitions().get(0).user();
            Files.writeString(sudoers, "broken once more\n");
            new ProcessExecutor().command("chown", partitionUser, lib.toString()).timeout(30, TimeUnit.SECONDS).exitValueNormal().execute();
            ComplianceRun.Summary refused = run.run(new ComplianceRun.Selection(Action.fix, null, "spdc.opensvc"), n.partitions());
            assertThat(refused.modules()).singleElement().satisfies(o -> {
                assertThat(o.status()).isEqualTo(ComplianceRun.NOT_RUN);
                assertThat(o.runs()).singleElement().satisfies(r ->
                        assertThat(r.output()).startsWith("refused:").contains(lib.toString()).contains("not root"));
            });
            assertThat(Files.readString(sudoers)).isEqualTo("broken once more\n");
            new ProcessExecutor().command("chown", "root", lib.toString()).timeout(30, TimeUnit.SECONDS).exitValueNormal().execute();
            Path module = tree.resolve("compliance/S50-spdc.opensvc");
            Files.setPosixFilePermissions(module, PosixFilePermissions.fromString("rwxrwxrwx"));
            assertThat(run.run(new ComplianceRun.Selection(Action.check, null, "spdc.opensvc"), n.partitions()).modules())
                    .singleElement().satisfies(o -> assertThat(o.runs().get(0).output()).contains("writable by group or others"));
            assertThat(admin.results(TargetKind.node, n.nodeId(), 1)).singleElement()
                    .satisfies(r -> assertThat(r.output()).startsWith("refused:"));
        }
    }

    @Test
    void theDaemonRunsAutoOnItsScheduleAndAnInstancesModuleRunsAsItsPartitionsUser() throws Exception {
        Require.that(NodeFixture.ROOT, "an instance's module runs as its partition's user");
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")), "needs Debian's supervisor package (installed by .ci/run)");
        try (NodeFixture n = NodeFixture.start(tmp, "node-compd", "sgcompd", 1)) {
            String url = ComplianceRelease.withModule(tmp.resolve("release"), "S10-svc.marker", """
                    #!/bin/sh
                    # conformant when the partition holds the file the ruleset names
                    case $1 in
                    check) echo "as $(id -un) for $OSVC_COMP_SERVICES_SVC_NAME"; [ -f "$HOME/$OSVC_COMP_MARKER" ] && exit 0; exit 1 ;;
                    fix) touch "$HOME/$SLAPGRID_COMP_MARKER" ;;
                    fixable) exit 0 ;;
                    esac
                    """);
            n.supplyAndBuild(url);
            String partition = n.admin().request(n.request("spdsvc01", url, Map.of())).partition();
            ComplianceApi alice = n.admin().compliance();
            alice.createRuleset("svc", Map.of("marker", "conformant"));
            alice.createModuleset(new Moduleset("svc", null, List.of(new Module("svc.marker", true)), null, List.of("svc")));
            alice.attach(new Attachment(TargetKind.instance, "spdsvc01", "svc", null));

            org.slapgrid.node.daemon.NodeDaemon daemon = new org.slapgrid.node.daemon.NodeDaemon(n.assemble(java.time.Duration.ofSeconds(10)),
                    java.time.Duration.ofSeconds(5), n.logger()).complianceEvery(java.time.Duration.ofSeconds(1));
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(alice.results(TargetKind.instance, "spdsvc01", 100)).as(n.log())
                                .anySatisfy(r -> assertThat(r.action()).isEqualTo(Action.fix)));
                String user = n.partition(partition).user();
                Path marker = n.partition(partition).directory().resolve("conformant");
                assertThat(marker).exists();
                assertThat(Files.getOwner(marker).getName()).isEqualTo(user);
                List<Compliance.Result> results = alice.results(TargetKind.instance, "spdsvc01", 100);
                assertThat(results).anySatisfy(r -> {
                    assertThat(r.action()).isEqualTo(Action.check);
                    assertThat(r.exitCode()).isEqualTo(1);
                    assertThat(r.partition()).isEqualTo(partition);
                    assertThat(r.output()).contains("as " + user + " for spdsvc01");
                });
                assertThat(results.get(0).action()).isEqualTo(Action.check);
                assertThat(results.get(0).exitCode()).isZero();
                // the schedule: once a second here; the last run is recorded for a restarted daemon
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(n.config().stateDirectory().resolve("compliance/last-auto")).exists()); // written after the report
            } finally {
                daemon.stop();
                thread.join(30_000);
            }
        }
    }
}
