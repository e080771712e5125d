package org.slapgrid.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slapgrid.cli.ExitCode;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.MetricBatch;
import org.slapgrid.slap.model.ClusterMember;
import org.slapgrid.slap.model.ClusterInfo;

/** {@code slapos cluster ...} against a real master with two registered nodes: text, --json, refusals and exit codes. */
class ClusterCommandsTest extends ConsoleTest {
    static final String SR = "https://example.org/sr/cluster.cfg";
    @Test
    void createListShowGrowShrinkDestroy() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(java.nio.file.Files.readString(tokenFile).strip()).build();
        admin.registerNode("n1", List.of("slappart0", "slappart1"));
        admin.registerNode("n2", List.of("slappart0", "slappart1"));

        assertThat(slapos("cluster", "create", "db", SR, "--role", "db:count=3,min=2,max=3,type=mariadb",
                "--topology", "failover", "--param", "k=v")).isZero();
        assertThat(stdout()).contains("primary", "db.0", "db=3 (2-3, mariadb)", "MEMBER", "n1", "n2")
                .contains("note: db.2 shares node n1 with db.0 (role db): no other node has a free partition");

        assertThat(slapos("cluster", "list")).isZero();
        assertThat(stdout()).contains("NAME", "db", "failover", "db=3 (2-3, mariadb)", "NONE").doesNotContain("MEMBER");
        assertThat(slapos("cluster", "list", "--detailed", "--json")).isZero();
        assertThat(json().get(0).get("members")).hasSize(3);
        assertThat(slapos("cluster", "show", "db", "--json")).isZero();
        assertThat(json().get("members").get(1).get("node").asText()).isEqualTo("n2");

        assertThat(slapos("cluster", "grow", "db", "--role", "db")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("slapos cluster grow: grow would give role 'db' 4 members, over its maximum of 3 (max)"
                + " [cluster_rule, HTTP 422]");
        assertThat(slapos("cluster", "shrink", "db", "db.1", "db.2")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("under its minimum of 2 (min) [cluster_rule, HTTP 422]");
        assertThat(slapos("cluster", "shrink", "db", "db/db.2", "--json")).isZero();
        assertThat(json().get("members")).hasSize(2);
        assertThat(slapos("cluster", "promote", "db", "db.1")).isZero();
        assertThat(stdout()).contains("db.1");

        assertThat(slapos("cluster", "create", "x", SR, "--role", "db:count=three")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("--role db:count=three: count must be a whole number (got 'three')");
        assertThat(slapos("cluster", "show", "nope")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("you have no cluster 'nope' [unknown_cluster, HTTP 404]");

        // the event log: every operation, and each refusal with the rule's text
        assertThat(slapos("cluster", "events", "db")).isZero();
        assertThat(stdout()).contains("TIME", "KIND", "create started by admin (task BUILDING)", "BUILDING done",
                "grow refused (422): grow would give role 'db' 4 members, over its maximum of 3 (max)",
                "shrink refused (422)", "the primary is now db.1");
        assertThat(slapos("cluster", "events", "db", "--json")).isZero();
        assertThat(json().get(0).get("kind").asText()).isEqualTo("create");
        assertThat(json().findValuesAsText("kind")).contains("refused", "converged", "promote", "shrink");
        assertThat(slapos("cluster", "events", "nope")).isEqualTo(ExitCode.FAILURE);

        // the status tree: nothing reported yet, every level undef
        assertThat(slapos("cluster", "status", "db")).isZero();
        assertThat(stdout()).contains("db (failover)", "|- overall    undef", "`- db.0 on n1  overall undef");
        assertThat(slapos("cluster", "status", "db", "--json")).isZero();
        assertThat(json().get("members")).hasSize(2);

        // restart: members never reported (their node has not applied their latest change) are busy
        assertThat(slapos("cluster", "restart", "db")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("slapos cluster restart: member 'db.0' is busy (", "); a restart needs no member busy"
                + " (member busy) [member_busy, HTTP 409]");
        // backup: started (the nodes' jobs are in their documents); meanwhile the cluster is busy
        assertThat(slapos("cluster", "backup", "db", "--no-wait", "--json")).isZero();
        assertThat(json().get("task").asText()).isEqualTo("BACKING_UP");
        java.util.Optional<Integer> pending = master.database().read(c -> org.slapgrid.master.store.Sql.one(c,
                "SELECT COUNT(*) FROM partition_job WHERE kind = 'backup' AND state = 'PENDING'", rs -> rs.getInt(1)));
        assertThat(pending).contains(2); // one backup job per member, in its node's document
        assertThat(slapos("cluster", "restart", "db")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("cluster 'db' is busy (task BACKING_UP); try again once its task is NONE [cluster_busy, HTTP 409]");
        assertThat(slapos("cluster", "backups", "db", "--json")).isZero();
        assertThat(json()).isEmpty(); // nothing recorded before every part is in
        assertThat(slapos("cluster", "restore", "b0123", "--name", "copy")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("you have no backup 'b0123' [unknown_backup, HTTP 404]");
        master.database().transaction(c -> org.slapgrid.master.store.Sql.update(c, "UPDATE cluster SET task = 'NONE'"));

        assertThat(slapos("cluster", "destroy", "db")).isZero();
        assertThat(stdout()).contains("destroying cluster db: its 2 members are being destroyed by their nodes");
        assertThat(slapos("cluster", "list", "--json")).isZero();
        assertThat(json()).isEmpty();
    }

    @Test
    void resizeDiskAndDeletionPolicyVerbsAndLifecycleRefusals() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(java.nio.file.Files.readString(tokenFile).strip()).build();
        admin.registerNode("n1", List.of("slappart0", "slappart1"));
        assertThat(slapos("cluster", "create", "db", SR, "--role", "db:count=2,min=1,max=2")).isZero();

        assertThat(slapos("cluster", "resize", "db", "db.0")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("slapos cluster resize: give --memory and/or --cpu");
        assertThat(slapos("cluster", "resize", "db", "db.0", "--memory", "16M")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("memory must be 0 (the node's default) or at least 32M (got 16M)");
        assertThat(slapos("cluster", "disk-attach", "db", "db.0", "Data!", "--size", "1G")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("disk must be 1-32 lower-case letters");
        assertThat(slapos("cluster", "resize", "db", "db.0", "--memory", "64M", "--cpu", "0.5", "--no-wait", "--json")).isZero();
        assertThat(json().get("task").asText()).isEqualTo("RESIZING");
        assertThat(slapos("cluster", "disk-attach", "db", "db.1", "data", "--size", "1G")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("is busy (task RESIZING)");
        assertThat(slapos("cluster", "events", "db")).isZero();
        assertThat(stdout()).contains("vm_resize of db.0: pre-scale asked");

        assertThat(slapos("cluster", "deletion-policy", "db")).isZero();
        assertThat(stdout()).contains("criteria", "RANDOM", "60 s", "(none)");
        assertThat(slapos("cluster", "deletion-policy", "db", "--criteria", "OLDEST_FIRST", "--hook-timeout", "5",
                "--webhook", "http://127.0.0.1:9/hook")).isZero();
        assertThat(stdout()).contains("OLDEST_FIRST", "5 s", "http://127.0.0.1:9/hook", "webhook secret");
        assertThat(slapos("cluster", "deletion-policy", "db", "--json")).isZero();
        assertThat(json().get("hookTimeout").asInt()).isEqualTo(5);
        assertThat(json().get("webhookSecret").isNull()).as("the secret is shown once").isTrue();
        assertThat(slapos("cluster", "deletion-policy", "db", "--webhook", "ftp://x")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("webhookUrl must be an http:// or https:// URL");

        assertThat(slapos("lifecycle", "complete", "0123abcd", "--cluster", "db")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("this lifecycle token is not one of yours for this cluster", "HTTP 403");
        assertThat(slapos("lifecycle", "wait", "--timeout", "0")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("this call needs an instance's secret", "HTTP 403");

        // waiting: no node runs the members' part, so the task outlives --timeout (a failure, saying where to follow it)
        master.database().transaction(c -> org.slapgrid.master.store.Sql.update(c, "UPDATE cluster SET task = 'NONE'"));
        assertThat(slapos("cluster", "resize", "db", "db.1", "--memory", "64M", "--timeout", "1")).isEqualTo(ExitCode.FAILURE);
        assertThat(stdout()).contains("RESIZING");
        assertThat(stderr()).contains("slapos cluster resize: still RESIZING after 1 s; `slapos cluster events db` follows it");
        master.database().transaction(c -> org.slapgrid.master.store.Sql.update(c, "UPDATE cluster SET task = 'NONE'"));
        assertThat(slapos("cluster", "backup", "db", "--timeout", "1")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("slapos cluster backup: still BACKING_UP after 1 s; `slapos cluster events db` follows it");
    }

    @Test
    void stopAndStartByTagOnAClusterAndOneInstance() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(java.nio.file.Files.readString(tokenFile).strip()).build();
        admin.registerNode("n1", List.of("slappart0", "slappart1"));
        assertThat(slapos("cluster", "create", "spd", SR, "--role", "pod:count=2")).isZero();

        assertThat(slapos("cluster", "stop", "spd", "--tags", "sm + pod02,db")).as(stderr()).isZero();
        assertThat(stdout()).contains("cluster spd: services tagged sm+pod02,db stopped on its 2 members");
        assertThat(admin.info("spd/pod.1").tagRules()).extracting(r -> r.tags()).containsExactly("sm+pod02,db");

        assertThat(slapos("instance", "start", "spd/pod.1", "--tags", "sm+pod02,db", "--json")).as(stderr()).isZero();
        assertThat(json().get("tagRules")).isEmpty();
        assertThat(admin.info("spd/pod.0").tagRules()).hasSize(1);

        // one command: with --tags, cluster restart restarts the tagged services of every member (a job each)
        assertThat(slapos("cluster", "restart", "spd", "--tags", "sm+pod02")).as(stderr()).isZero();
        assertThat(stdout()).contains("cluster spd: services tagged sm+pod02 being restarted on its 2 members");
        assertThat(admin.clusterEvents("spd")).anySatisfy(e -> assertThat(e.message())
                .contains("services tagged sm+pod02 restarted on pod.0, pod.1"));
        assertThat(slapos("cluster", "restart", "spd", "--tags", "+")).isEqualTo(2);

        assertThat(slapos("cluster", "stop", "spd", "--tags", "a,,b")).isEqualTo(2);
        assertThat(stderr()).contains("empty tag");
        assertThat(slapos("cluster", "stop", "spd")).as("--tags is required").isEqualTo(2);
        assertThat(slapos("instance", "stop", "nothing", "--tags", "db")).isEqualTo(1);
        assertThat(stderr()).contains("unknown_instance");
    }

    @Test
    void aFlexClusterWithItsSettingsAndASwitchRefusedToAMemberThatIsNotUp() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(java.nio.file.Files.readString(tokenFile).strip()).build();
        admin.registerNode("n1", List.of("slappart0", "slappart1"));
        assertThat(slapos("cluster", "create", "spd", SR, "--role", "pod:count=2", "--flex-min", "2", "--flex-max", "4",
                "--flex-primary", "pod.1", "--primary-lost-after", "30")).as(stderr()).isZero();
        assertThat(stdout()).containsPattern("primary\\s+pod.1").containsPattern("flex\\s+min 2, max 4")
                .containsPattern("primary lost after\\s+30 s").containsPattern("status\\s+down");
        assertThat(slapos("cluster", "switch", "spd", "pod.0")).isEqualTo(1);
        assertThat(stderr()).contains("'pod.0' is not up").contains("cluster_rule, HTTP 422");
        assertThat(slapos("cluster", "create", "x", SR, "--role", "pod:count=2", "--flex-max", "1")).isEqualTo(1);
        assertThat(stderr()).contains("(flex_max)");
    }

    @Test
    void policyIsSetListedAndDeletedAndMetricsShowTheMembersSamples() throws Exception {
        SlapClient admin = SlapClient.builder(master.url()).token(Files.readString(tokenFile).strip()).build();
        SlapClient n1 = SlapClient.builder(master.url()).token(admin.registerNode("n1", List.of("slappart0", "slappart1")).secret()).build();
        assertThat(slapos("cluster", "create", "web", "https://example.org/sr/web.cfg", "--role", "web:count=1,min=1,max=3")).isZero();

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
                "--cooldown", "soon")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("--cooldown 'soon': expected a duration such as 30s, 10m, 2h or 3d");
        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--metric", "load", "--scale-out-above", "1",
                "--scale-in-below", "3")).isEqualTo(ExitCode.FAILURE);
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
        assertThat(slapos("cluster", "metrics", "web", "--since", "yesterday")).isEqualTo(ExitCode.USAGE);

        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--delete")).isZero();
        assertThat(slapos("cluster", "policy", "web", "--role", "web", "--delete")).isEqualTo(ExitCode.FAILURE);
        assertThat(stderr()).contains("has no scaling policy");

        // or at create
        assertThat(slapos("cluster", "create", "api", "https://example.org/sr/web.cfg", "--role", "api:count=1,max=2",
                "--policy", "api:metric=cpu,aggregate=max,above=0.8,above-for=30s,cooldown=2m")).isZero();
        assertThat(stdout()).contains("role api of cluster api: max cpu, +1 above 0.800 for 30 s, cooldown 120 s");
        assertThat(admin.scalingPolicies("api")).singleElement().satisfies(x -> assertThat(x.scaleOutAbove()).isEqualTo(0.8));
        assertThat(slapos("cluster", "create", "api2", "https://example.org/sr/web.cfg", "--role", "api:count=1",
                "--policy", "api:metric=cpu,above=lots")).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("--policy api:metric=cpu,above=lots: above: 'lots' is not a number");
        assertThat(slapos("cluster", "show", "api2")).as("nothing created on bad input").isEqualTo(ExitCode.FAILURE);
    }
}
