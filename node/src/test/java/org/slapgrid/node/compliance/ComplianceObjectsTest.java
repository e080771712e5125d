package org.slapgrid.node.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.config.NodeConfig;
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

/**
 * OpenSVC's other compliance objects, as compliance-spdc ships them, run by seed 002's own
 * modules through the real {@link ComplianceRun} (a real master, a node building the release):
 * packages (dpkg-query: installed and absent), sysctl (a harmless key, kernel.printk_ratelimit,
 * raised then restored) and nodeconf (a key of the node's slapos.cfg).
 */
class ComplianceObjectsTest {

    @TempDir
    Path tmp;

    private static final Path PRINTK = Path.of("/proc/sys/kernel/printk_ratelimit");

    @Test
    void packagesSysctlAndNodeconfCheckAndFix() throws Exception {
        Require.that(NodeFixture.ROOT, "node-level modules run as root; sysctl's fix writes /proc/sys");
        Require.that(Files.isExecutable(Path.of("/usr/bin/python3")), "the objects are python3 scripts");
        Require.that(Files.isExecutable(Path.of("/usr/bin/dpkg-query")), "packages.py asks dpkg-query (Debian)");
        Require.that(Files.isWritable(PRINTK), "sysctl's fix writes /proc/sys (not read-only here)");
        String printk = Files.readString(PRINTK).strip();
        try (NodeFixture n = NodeFixture.start(tmp, "node-objs", "sgobj", 1)) {
            String url = ReleaseCopy.of(ComplianceEndToEndTest.REPOSITORY, "compliance-spdc", tmp.resolve("repo")).toString();
            n.supplyAndBuild(url);
            Path slaposCfg = n.writeConfigFile();
            NodeConfig c = n.config();
            NodeConfig withFile = new NodeConfig(slaposCfg, c.masterUrl(), c.nodeId(), c.credentialsFile(), c.softwareRoot(),
                    c.instanceRoot(), c.partitionCount(), c.ipv4Network(), c.periodicity(), c.partitionTimeout(),
                    c.parallelism(), c.multiUser(), c.limits(), c.userBaseName());
            ComplianceRun run = new ComplianceRun(withFile, n.node(), n.assembled().limits(), new PartitionExecutor(), n.logger());
            ComplianceApi admin = n.admin().compliance();
            Path sysctlFile = tmp.resolve("sysctl.d/90-compliance.conf");
            int raised = Integer.parseInt(printk) + 1;

            // seed 002's rulesets, shaped as its export (packages, sysctl, nodeconf)
            admin.createRuleset("spdc.packages", Map.of("spdc_pkg", List.of("coreutils", "-slapgrid-no-such-package")));
            admin.createRuleset("spdc.kernel", Map.of("spdc_kernel_sysctl", List.of(
                    Map.of("key", "kernel.printk_ratelimit", "index", 0, "op", ">=", "value", raised)),
                    "sysctl_file", sysctlFile.toString()));
            admin.createRuleset("spdc.opensvc", Map.of("spdc_opensvc_nodeconf", List.of(
                    Map.of("key", "slapos.compliance_interval", "op", "=", "value", "3600"))));
            for (String m : List.of("spdc.packages", "spdc.kernel", "spdc.opensvc")) {
                admin.createModuleset(new Moduleset(m, null, List.of(new Module(m, false)), null, List.of(m)));
            }
            admin.createModuleset(new Moduleset("spdc.node", null, List.of(),
                    List.of("spdc.packages", "spdc.opensvc", "spdc.kernel"), List.of()));
            admin.attach(new Attachment(TargetKind.node, n.nodeId(), "spdc.node", null));

            try {
                // check: the packages conform; the sysctl and slapos.cfg key do not
                ComplianceRun.Summary checked = run.run(new ComplianceRun.Selection(Action.check, "spdc.node", null), n.partitions());
                assertThat(checked.modules()).as(n.log()).extracting(ComplianceRun.ModuleOutcome::module,
                        ComplianceRun.ModuleOutcome::status).containsExactlyInAnyOrder(tuple("spdc.packages", 0),
                        tuple("spdc.opensvc", 1), tuple("spdc.kernel", 1));
                assertThat(output(checked, "spdc.packages")).contains("package coreutils is installed")
                        .contains("package slapgrid-no-such-package is absent");
                assertThat(output(checked, "spdc.kernel")).contains("sysctl kernel.printk_ratelimit[0] = " + printk
                        + ", should be >= " + raised);
                assertThat(output(checked, "spdc.opensvc")).contains("[slapos] compliance_interval is unset, should be = 3600");

                // fix: sysctl written live and kept for the next boot, the key added to slapos.cfg, the rest kept
                ComplianceRun.Summary fixed = run.run(new ComplianceRun.Selection(Action.fix, "spdc.node", null), n.partitions());
                assertThat(fixed.modules()).as(n.log()).allSatisfy(o -> assertThat(o.status()).as(o.module()).isZero());
                assertThat(Files.readString(PRINTK).strip()).isEqualTo(Integer.toString(raised));
                assertThat(Files.readString(sysctlFile)).isEqualTo("kernel.printk_ratelimit = " + raised + "\n");
                assertThat(Files.readString(slaposCfg)).contains("compliance_interval = 3600").contains("node_id = " + n.nodeId());
                assertThat(fixed.modules().stream().filter(o -> o.module().equals("spdc.kernel")).findFirst().orElseThrow().runs())
                        .extracting(Compliance.Result::action).containsExactly(Action.check, Action.fixable, Action.fix, Action.check);

                // a package that must be there and is not: not ok, named
                admin.updateRuleset("spdc.packages", Map.of("spdc_pkg", List.of("slapgrid-no-such-package")), null);
                ComplianceRun.Summary missing = run.run(new ComplianceRun.Selection(Action.check, "spdc.packages", null),
                        n.partitions());
                assertThat(missing.modules()).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(1));
                assertThat(output(missing, "spdc.packages")).contains("package slapgrid-no-such-package is absent, should be installed");
            } finally {
                Files.writeString(PRINTK, printk + "\n"); // the machine's value back
            }
            assertThat(Files.readString(PRINTK).strip()).isEqualTo(printk);
        }
    }

    private static String output(ComplianceRun.Summary s, String module) {
        return s.modules().stream().filter(o -> o.module().equals(module)).findFirst().orElseThrow().runs().get(0).output();
    }
}
