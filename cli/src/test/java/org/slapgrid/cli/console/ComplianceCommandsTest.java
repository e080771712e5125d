package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
}
