package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.cli.Main;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.ClusterInfo;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.MetricBatch;

/** {@code slapos cluster policy} and {@code slapos cluster metrics} against a real master: text, --json, bad input. */
class ClusterAutoscaleCommandsTest {
    static final String SR = "https://example.org/sr/web.cfg";
    @TempDir
    Path tmp;
    Master master;
    Path tokenFile;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut;
    PrintStream oldErr;

    @BeforeEach
    void start() {
        master = Master.start(MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0)
                .withAuthCacheTtl(Duration.ZERO));
        tokenFile = master.config().adminTokenFile();
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setOut(oldOut);
        System.setErr(oldErr);
        master.close();
    }

    private int slapos(String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--master-url", master.url().toString(), "--token-file", tokenFile.toString()));
        return Main.run(all.toArray(String[]::new));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void policyIsSetListedAndDeletedAndMetricsShowTheMembersSamples() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(tokenFile).strip()).build();
        SlapClient n1 = SlapClient.builder(master.url()).token(admin.registerNode("n1", List.of("slappart0", "slappart1")).secret()).build();
        assertThat(slapos("cluster", "create", "web", SR, "--role", "web:count=1,min=1,max=3")).isZero();

        assertThat(slapos("cluster", "policy", "web")).isZero();
        assertThat(stdout()).contains("cluster web has no scaling policy");
        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--metric", "load", "--scale-out-above", "5",
                "--scale-out-for", "2m", "--scale-in-below", "1", "--cooldown", "10m")).isZero();
        assertThat(stdout()).contains("role web of cluster web: avg load, +1 above 5 for 120 s, -1 below 1 for 60 s, cooldown 600 s");
        assertThat(slapos("cluster", "policy", "web")).isZero();
        assertThat(stdout()).contains("ROLE", "web", "load", "avg", "> 5 for 120 s", "< 1 for 60 s", "600 s", "yes");
        assertThat(slapos("cluster", "policy", "web", "--json")).isZero();
        JsonNode p = new ObjectMapper().readTree(stdout());
        assertThat(p.get(0).get("scaleOutFor").asInt()).isEqualTo(120);

        // bad input exits 2 and names the option; a rule the master refuses exits 1
        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--metric", "load", "--scale-out-above", "5",
                "--cooldown", "soon")).isEqualTo(Main.EXIT_USAGE);
        assertThat(stderr()).contains("--cooldown 'soon': expected a duration such as 30s, 10m, 2h or 3d");
        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--metric", "load", "--scale-out-above", "1",
                "--scale-in-below", "3")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(stderr()).contains("must be under scaleOutAbove", "policy_rule, HTTP 422");

        assertThat(slapos("cluster", "metrics", "web")).isZero();
        assertThat(stdout()).contains("no metrics from the members of web");
        ClusterInfo c = admin.cluster("web");
        ClusterMember m = c.members().get(0);
        long now = System.currentTimeMillis();
        n1.sendMetrics("n1", new MetricBatch(List.of(new MetricBatch.Sample(m.partition(), "load", now - 20_000, 2),
                new MetricBatch.Sample(m.partition(), "load", now, 4.5))));
        assertThat(slapos("cluster", "metrics", "web")).isZero();
        assertThat(stdout()).contains("MEMBER", "web.0", "web", "load", "4.500", "3.250", "2", "10 s buckets");
        assertThat(slapos("cluster", "metrics", "web", "--json", "--since", "1h")).isZero();
        assertThat(new ObjectMapper().readTree(stdout()).get("series").get(0).get("last").asDouble()).isEqualTo(4.5);
        assertThat(slapos("cluster", "metrics", "web", "--since", "yesterday")).isEqualTo(Main.EXIT_USAGE);

        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--delete")).isZero();
        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--delete")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(stderr()).contains("has no scaling policy");
    }
}
