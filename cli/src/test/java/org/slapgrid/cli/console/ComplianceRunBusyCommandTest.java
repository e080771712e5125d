package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;

/**
 * Issue 15: {@code slapos compliance run} on a target whose run has not ended exits 1 with the
 * master's refusal (409 {@code compliance_run_busy}, naming the running run); a run on another
 * node proceeds. A real master; the nodes never answer, so the first run stays pending.
 */
class ComplianceRunBusyCommandTest extends ConsoleTest {

    @Test
    void aSecondRunOnTheSameNodeIsRefusedNamingTheRunningOne() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(tokenFile).strip()).build();
        admin.registerNode("spd01", List.of("slappart0"));
        admin.registerNode("spd02", List.of("slappart0"));
        assertThat(slapos("compliance", "run", "spd01", "--action", "fix", "--json")).as(stderr()).isEqualTo(ExitCode.OK);
        String running = new ObjectMapper().readTree(stdout()).get("id").asText();

        assertThat(slapos("compliance", "run", "spd01", "--action", "check")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("compliance_run_busy").contains("compliance run " + running)
                .contains("node 'spd01'").contains("HTTP 409");
        assertThat(slapos("compliance", "run", "spd01", "--wait", "--timeout", "5")).as("--wait too").isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("compliance_run_busy");

        assertThat(slapos("compliance", "run", "spd02", "--action", "check")).as(stderr()).isEqualTo(ExitCode.OK);
    }
}
