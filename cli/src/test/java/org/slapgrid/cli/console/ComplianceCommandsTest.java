package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;

/** {@code slapos compliance ...} against a real master: seed 002's rulesets and modulesets, --json, refusals and exit codes. */
class ComplianceCommandsTest extends ConsoleTest {
    @Test
    void rulesetsModulesetsAttachAndResults() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(tokenFile).strip()).build();
        admin.registerNode("spd01", List.of("slappart0"));

        assertThat(slapos("compliance", "ruleset", "create", "spdc.packages", "spdc_pkg=[\"sysstat\",\"docker.io\",\"btrfs-tools\"]"))
                .as(err.toString()).isZero();
        assertThat(stdout()).contains("OSVC_COMP_SPDC_PKG").contains("[\"sysstat\",\"docker.io\",\"btrfs-tools\"]");
        assertThat(slapos("compliance", "ruleset", "set", "spdc.packages", "extra=1", "--json")).isZero();
        JsonNode r = new ObjectMapper().readTree(stdout());
        assertThat(r.get("variables").get("spdc_pkg").get(1).asText()).isEqualTo("docker.io");
        assertThat(r.get("variables").get("extra").asText()).isEqualTo("1");
        assertThat(slapos("compliance", "ruleset", "create", "bad", "spdc_pkg=[not json")).isEqualTo(ExitCode.USAGE);

        assertThat(slapos("compliance", "moduleset", "create", "spdc.packages", "--module", "spdc.packages:autofix",
                "--ruleset", "spdc.packages")).isZero();
        assertThat(slapos("compliance", "moduleset", "create", "spdc.node", "--moduleset", "spdc.packages")).isZero();
        assertThat(slapos("compliance", "moduleset", "set", "spdc.packages", "--add-moduleset", "spdc.node"))
                .isEqualTo(ExitCode.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cycle").contains("HTTP 422");
        assertThat(slapos("compliance", "moduleset", "list")).isZero();
        assertThat(stdout()).contains("spdc.packages:autofix");

        assertThat(slapos("compliance", "attach", "--node", "spd01", "--moduleset", "spdc.node")).isZero();
        assertThat(slapos("compliance", "attachments", "--node", "spd01", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(stdout()).get(0).get("moduleset").asText()).isEqualTo("spdc.node");
        assertThat(slapos("compliance", "attach", "--node", "spd01")).isEqualTo(ExitCode.USAGE);
        assertThat(slapos("compliance", "results", "spd01", "--json")).isZero();
        assertThat(new ObjectMapper().readTree(stdout()).size()).isZero();
        assertThat(slapos("compliance", "moduleset", "delete", "spdc.node")).isEqualTo(ExitCode.FAILURE);
        assertThat(slapos("compliance", "detach", "--node", "spd01", "--moduleset", "spdc.node")).isZero();
        assertThat(slapos("compliance", "moduleset", "delete", "spdc.node")).isZero();
    }

    @Test
    void attachWithAFilterAndShowIt() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(tokenFile).strip()).build();
        admin.registerNode("spd01", List.of("slappart0"));
        assertThat(slapos("compliance", "moduleset", "create", "spdc.kernel", "--module", "spdc.kernel")).isZero();
        assertThat(slapos("compliance", "attach", "--node", "spd01", "--moduleset", "spdc.kernel", "--filter-os", "debian-*",
                "--filter-tags", "sm+pod01,db")).as(err.toString()).isZero();
        assertThat(stdout()).contains("where os debian-*, tags sm+pod01,db");
        assertThat(slapos("compliance", "attachments", "--node", "spd01")).isZero();
        assertThat(stdout()).contains("spdc.kernel").contains("os debian-*, tags sm+pod01,db");
        assertThat(slapos("compliance", "attach", "--node", "spd01", "--moduleset", "spdc.kernel", "--filter-tags", "sm+"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("filter.tags");
    }

    /**
     * {@code run --wait}: until the node ended its part, 1 when a module is not ok, 0 when all
     * are, 1 at the timeout; usage errors 2. The node's part is played by the node's own
     * protocol calls (its document's job, its report): ComplianceRunEndToEndTest runs it with a real daemon.
     */
    @Test
    void runWaitsForTheNodeAndExitsOneWhenAModuleIsNotOk() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(tokenFile).strip()).build();
        SlapClient node = SlapClient.builder(master.url()).token(admin.registerNode("spd01", List.of("slappart0")).secret()).build();
        assertThat(slapos("compliance", "run", "--instance", "x", "spd01")).isEqualTo(ExitCode.USAGE);
        assertThat(slapos("compliance", "run", "spd01", "--action", "repair")).isEqualTo(ExitCode.USAGE);
        assertThat(slapos("compliance", "run", "nosuchnode")).isEqualTo(ExitCode.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("HTTP 404");

        for (int status : new int[] {1, 0}) {
            Thread fakeNode = new Thread(() -> answer(node, status));
            fakeNode.start();
            int code = slapos("compliance", "run", "spd01", "--action", "fix", "--moduleset", "spdc.node", "--wait");
            fakeNode.join(30_000);
            assertThat(code).as(stdout() + err).isEqualTo(status == 0 ? ExitCode.OK : ExitCode.FAILURE);
            assertThat(stdout()).contains("fix of node spd01 --moduleset spdc.node: DONE, " + (status == 0 ? "ok" : "not ok"))
                    .contains("spdc.packages").contains(status == 0 ? "fixed" : "not fixable, skip fix");
        }
        // without --wait: 0 once asked; run-status --wait times out while the node does not answer
        assertThat(slapos("compliance", "run", "spd01", "--json")).isZero();
        String id = new ObjectMapper().readTree(stdout()).get("id").asText();
        assertThat(slapos("compliance", "run-status", id, "--wait", "--timeout", "1")).isEqualTo(ExitCode.FAILURE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("still PENDING after 1 s");
    }

    /** What the node does with its document's compliance job: RUNNING, then the end with one module's status. */
    private static void answer(SlapClient node, int status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !node.nodeInfo("spd01").jobs().isEmpty());
        String job = node.nodeInfo("spd01").jobs().get(0).id();
        node.reportNodeJob("spd01", job, new org.slapgrid.slap.model.JobReport(org.slapgrid.slap.model.JobState.RUNNING, null, null,
                null, null));
        node.reportNodeJob("spd01", job, new org.slapgrid.slap.model.JobReport(org.slapgrid.slap.model.JobState.DONE, status, "",
                10L, java.util.Map.of("ok", status == 0, "modules", List.of(java.util.Map.of("module", "spdc.packages",
                "status", status, "note", status == 0 ? "fixed" : "not fixable, skip fix")))));
    }
}
