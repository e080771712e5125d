package org.slapgrid.master.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.SlapException;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.NodeCredentials;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SupplyState;

/** The UI's HTTP contract, without a browser: sessions, cookie attributes, CSRF, CSP, escaping, the API's schema check. */
class WebUiHttpTest {
    @TempDir
    Path tmp;
    Master master;
    SlapClient admin;
    String adminToken;
    String release;
    SlapClient node;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        master = Master.start(MasterConfig.defaults(tmp).withListen("127.0.0.1", 0).withAuthCacheTtl(Duration.ZERO));
        adminToken = Files.readString(master.config().adminTokenFile()).strip();
        admin = SlapClient.builder(master.url()).token(adminToken).timeout(Duration.ofSeconds(10)).build();
        NodeCredentials n = admin.registerNode("node-1", List.of("slappart0", "slappart1"));
        release = Path.of("..", "software-releases", "mariadb", "software.cfg").toAbsolutePath().normalize().toString();
        admin.supply(release, "node-1", SupplyState.AVAILABLE);
        node = SlapClient.builder(master.url()).token(n.secret()).timeout(Duration.ofSeconds(10)).build();
        node.reportSoftware("node-1", release, SoftwareState.AVAILABLE, null);
    }

    @AfterEach
    void stop() {
        master.close();
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(master.url().resolve(path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookie, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(master.url().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in; returns the "name=value" of the session cookie. */
    String login(String token) throws Exception {
        HttpResponse<String> r = post("/ui/login", null, Map.of("token", token));
        assertThat(r.statusCode()).isEqualTo(303);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/ui").doesNotContain("Secure");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    static String csrfOf(String page) {
        int at = page.indexOf("name=\"_csrf\" value=\"");
        assertThat(at).as("the page carries a CSRF token").isPositive();
        int from = at + "name=\"_csrf\" value=\"".length();
        return page.substring(from, page.indexOf('"', from));
    }

    @Test
    void theRootLeadsToTheUiAndAPageWithoutSessionToTheLogin() throws Exception {
        assertThat(get("/", null).headers().firstValue("Location")).contains("/ui/");
        HttpResponse<String> r = get("/ui/", null);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/ui/login"));
        HttpResponse<String> login = get("/ui/login", null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(login.body()).doesNotContainPattern("<script>[^<]");
    }

    @Test
    void aWrongTokenIsRefusedAndASessionIsNoApiToken() throws Exception {
        assertThat(post("/ui/login", null, Map.of("token", "sgu_nope")).statusCode()).isEqualTo(401);
        String cookie = login(adminToken);
        String session = cookie.substring(cookie.indexOf('=') + 1);
        SlapClient withSession = SlapClient.builder(master.url()).token(session).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(withSession::list).isInstanceOfSatisfying(SlapException.class,
                e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aLoginLinkOpensOneSessionOnceAndIsNoApiToken() throws Exception {
        org.slapgrid.slap.model.LoginLink link = admin.createLoginLink();
        assertThat(link.url()).startsWith(master.url().resolve("/ui/login#once=sgl_").toString());
        assertThat(link.expiresAt()).isBetween(System.currentTimeMillis() + 60_000, System.currentTimeMillis() + 3_600_000);
        String token = link.url().substring(link.url().indexOf("#once=") + "#once=".length());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SlapClient.builder(master.url()).token(token).build().list())
                .as("a login link is no API token").isInstanceOfSatisfying(SlapException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(post("/ui/login", null, Map.of("token", token)).statusCode()).as("nor a token for the login form").isEqualTo(401);

        HttpResponse<String> first = post("/ui/login", null, Map.of("once", token));
        assertThat(first.statusCode()).isEqualTo(303);
        String setCookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(get("/ui/", cookie).statusCode()).isEqualTo(200);

        HttpResponse<String> second = post("/ui/login", null, Map.of("once", token));
        assertThat(second.statusCode()).as("used twice: refused").isEqualTo(401);
        assertThat(second.body()).contains("used already or has expired").doesNotContain(token);
        assertThat(second.headers().firstValue("Set-Cookie")).isEmpty();
        // the audit log says a link was made and used, never the token
        assertThat(get("/ui/audit", cookie).body()).contains("session.link").contains("session.link-used").doesNotContain(token);
    }

    @Test
    void theNodesPageShowsTheAddressRangeTheNodeReported() throws Exception {
        String cookie = login(adminToken);
        assertThat(get("/ui/nodes", cookie).body()).contains("not reported");
        node.reportFormat("node-1", List.of("slappart0", "slappart1", "slappart2"),
                Map.of("slappart0", "127.42.0.10", "slappart1", "127.42.0.9", "slappart2", "127.42.0.11"));
        assertThat(get("/ui/nodes", cookie).body()).contains("127.42.0.9 – 127.42.0.11, 3 addresses");
    }

    @Test
    void theClusterPagesShowMembersPerRoleAndTheRefusalsOfOperations() throws Exception {
        String cookie = login(adminToken);
        assertThat(get("/ui/clusters", cookie).body()).contains("No cluster yet").contains("slapos cluster create");
        org.slapgrid.slap.model.ClusterInfo created = admin.createCluster(new org.slapgrid.slap.model.ClusterRequest("db", release,
                org.slapgrid.slap.model.ClusterTopology.FAILOVER, Map.of(),
                List.of(new org.slapgrid.slap.model.ClusterRole("db", "default", Map.of(), 2, 2, 2))));
        org.slapgrid.slap.model.ClusterMember first = created.members().get(0);
        node.publishConnection("node-1", first.partition(), Map.of("url", "mysql://u:member-secret-1@10.0.0.1/main"));

        assertThat(get("/ui/clusters", cookie).body()).contains("href=\"/ui/clusters/db\"").contains("db 2 (2–2)");
        HttpResponse<String> page = get("/ui/clusters/db", cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-member=\"db.0\"").contains("data-member=\"db.1\"")
                .contains("/ui/instances/" + admin.info("db/db.0").id()).contains("node-1")
                .contains("primary").contains("0 of 2 members started")
                .as("a member's connection parameters stay on its instance page, masked").doesNotContain("member-secret-1");
        String csrf = csrfOf(page.body());

        HttpResponse<String> grow = post("/ui/clusters/db/grow", cookie, Map.of("_csrf", csrf, "role", "db", "count", "1"));
        assertThat(grow.statusCode()).isEqualTo(422);
        assertThat(grow.body()).contains("id=\"refusal\"").contains("grow would give role 'db' 3 members, over its maximum of 2 (max)");
        HttpResponse<String> shrink = post("/ui/clusters/db/shrink", cookie, Map.of("_csrf", csrf, "member", "db.1"));
        assertThat(shrink.statusCode()).isEqualTo(422);
        assertThat(shrink.body()).contains("under its minimum of 2 (min)");
        assertThat(post("/ui/clusters/db/destroy", cookie, Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);
        // the refusals are in the cluster's log, shown on its page with their messages
        String live = get("/ui/clusters/db/live", cookie).body();
        assertThat(live).contains("data-kind=\"refused\"").contains("grow refused (422)").contains("under its minimum of 2 (min)");

        // the scaling policy's thresholds, the members' metric as a chart with those thresholds
        admin.setScalingPolicy("db", new org.slapgrid.slap.model.ScalingPolicy("db", "cpu", "avg", 0.8, 60, 0.2, 120, 1, 300, true));
        long now = System.currentTimeMillis();
        node.sendMetrics("node-1", new org.slapgrid.slap.model.MetricBatch(List.of(
                new org.slapgrid.slap.model.MetricBatch.Sample(first.partition(), "cpu", now - 20_000, 0.5),
                new org.slapgrid.slap.model.MetricBatch.Sample(first.partition(), "cpu", now, 0.9))));
        assertThat(get("/ui/clusters/db/live", cookie).body()).contains("avg of cpu").contains("0.8 for 60 s").contains("0.2 for 120 s");
        assertThat(get("/ui/clusters/db", cookie).body()).contains("id=\"metric-chart\"").contains("data-metric=\"cpu\"");
        String chart = get("/ui/clusters/db/metrics.json?metric=cpu", cookie).body();
        assertThat(chart).contains("\"label\":\"db.0\"").contains("[0.5,0.89").contains("\"value\":0.8").contains("\"value\":0.2");
        assertThat(admin.clusters(false)).hasSize(1);

        String bob = login(admin.createUserToken("bob", false).token());
        assertThat(get("/ui/clusters", bob).body()).contains("No cluster yet").doesNotContain("db.0");
        assertThat(get("/ui/clusters/db", bob).statusCode()).isEqualTo(404);

        HttpResponse<String> destroyed = post("/ui/clusters/db/destroy", cookie, Map.of("_csrf", csrf));
        assertThat(destroyed.statusCode()).isEqualTo(303);
        assertThat(destroyed.headers().firstValue("Location")).hasValue("/ui/clusters");
        assertThat(admin.clusters(false)).isEmpty();
        assertThat(get("/ui/clusters/db/live", cookie).body()).contains("This cluster is gone");
    }

    @Test
    void theClusterPageListsItsBackupsAndShowsTheRefusalsOfBackupAndDestroy() throws Exception {
        String cookie = login(adminToken);
        admin.createCluster(new org.slapgrid.slap.model.ClusterRequest("db", release, org.slapgrid.slap.model.ClusterTopology.FAILOVER,
                Map.of(), List.of(new org.slapgrid.slap.model.ClusterRole("db", "default", Map.of(), 2, 2, 2))));
        HttpResponse<String> page = get("/ui/clusters/db", cookie);
        assertThat(page.body()).contains("id=\"no-backup\"").contains("slapos cluster backup db")
                .contains("action=\"/ui/clusters/db/backup\"").contains("Back up now")
                .as("destroy is a plain form (a refusal's page is shown), asking first").doesNotContain("hx-post=\"/ui/clusters/db/destroy\"")
                .contains("data-confirm=\"Destroy cluster db?");
        String csrf = csrfOf(page.body());
        assertThat(post("/ui/clusters/db/backup", cookie, Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);

        HttpResponse<String> started = post("/ui/clusters/db/backup", cookie, Map.of("_csrf", csrf));
        assertThat(started.statusCode()).isEqualTo(303);
        assertThat(started.headers().firstValue("Location")).hasValue("/ui/clusters/db");
        assertThat(admin.cluster("db").task()).isEqualTo(org.slapgrid.slap.model.ClusterTask.BACKING_UP);
        assertThat(get("/ui/clusters/db", cookie).body()).contains("id=\"backup-running\"");
        // while the backup runs, another backup and a destroy are refused, with the API's message on the page
        HttpResponse<String> again = post("/ui/clusters/db/backup", cookie, Map.of("_csrf", csrf));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("id=\"refusal\"").contains("is busy");
        HttpResponse<String> destroy = post("/ui/clusters/db/destroy", cookie, Map.of("_csrf", csrf));
        assertThat(destroy.statusCode()).isEqualTo(409);
        assertThat(destroy.body()).contains("id=\"refusal\"").contains("is busy");
        assertThat(admin.clusters(false)).hasSize(1);

        // the node sends each member's part: one backup entry, listed with its parts
        String sha = null;
        for (org.slapgrid.slap.model.PartitionInfo p : node.nodeInfo("node-1").partitions()) {
            for (org.slapgrid.slap.model.PartitionJob j : p.jobs()) {
                Path part = tmp.resolve(j.id() + ".tar.gz");
                Files.writeString(part, "part of " + p.instance().name());
                node.uploadJobArtifact("node-1", p.id(), j.id(), part);
                sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(part)));
                node.reportJob("node-1", p.id(), j.id(), new org.slapgrid.slap.model.JobReport(org.slapgrid.slap.model.JobState.DONE, 0, "",
                        5L, Map.of("sha256", sha)));
            }
        }
        assertThat(admin.cluster("db").task()).as("the last part's report records the backup").isEqualTo(org.slapgrid.slap.model.ClusterTask.NONE);
        org.slapgrid.slap.model.ClusterBackup b = admin.clusterBackups("db").get(0);
        String shown = get("/ui/clusters/db", cookie).body();
        assertThat(shown).doesNotContain("id=\"no-backup\"").doesNotContain("id=\"backup-running\"")
                .contains("data-backup=\"" + b.id() + "\"").contains("complete")
                .contains("db.0: " + b.parts().get(0).size() + " B").contains("db.1: ")
                .contains(b.parts().get(0).sha256().substring(0, 12) + "…");
        assertThat(sha).isNotNull();
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        Instance db = admin.request(InstanceRequest.of("db", release, Map.of()));
        String cookie = login(adminToken);
        HttpResponse<String> page = get("/ui/instances/" + db.id(), cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> refused = post("/ui/instances/" + db.id() + "/state", cookie, Map.of("state", "stopped"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("CSRF");
        HttpResponse<String> wrong = post("/ui/instances/" + db.id() + "/state", cookie, Map.of("state", "stopped", "_csrf", "x"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(admin.info("db").requestedState().json()).isEqualTo("started");
        HttpResponse<String> ok = post("/ui/instances/" + db.id() + "/state", cookie,
                Map.of("state", "stopped", "_csrf", csrfOf(page.body())));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(admin.info("db").requestedState().json()).isEqualTo("stopped");
    }

    @Test
    void everyUserValueIsEscaped() throws Exception {
        String xss = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
        Instance db = admin.request(InstanceRequest.of("db", release, Map.of("comment", xss)));
        String cookie = login(adminToken);
        String page = get("/ui/instances/" + db.id(), cookie).body();
        assertThat(page).doesNotContain(xss).doesNotContain("<img src=x").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void theApiRefusesParametersTheReleaseSchemaRefuses() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.request(InstanceRequest.of("db", release, Map.of("memory", 8))))
                .isInstanceOfSatisfying(SlapException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("invalid_parameters");
                    assertThat(e.getMessage()).contains("parameter 'memory'");
                });
        assertThat(admin.request(InstanceRequest.of("db", release, Map.of("memory", 64))).parameters()).containsEntry("memory", 64);
        // an empty value counts as none (the profile's default applies): the schema's pattern does not apply to it
        assertThat(admin.request(InstanceRequest.of("db", release, Map.of("memory", "", "port", "3310"))).parameters())
                .containsEntry("memory", "");
    }

    @Test
    void theFormShowsTheSchemaErrorBesideTheField() throws Exception {
        String cookie = login(adminToken);
        String form = get("/ui/request?url=" + URLEncoder.encode(release, StandardCharsets.UTF_8), cookie).body();
        assertThat(form).contains("name=\"p.memory\"").contains("name=\"p.character-set\"");
        HttpResponse<String> r = post("/ui/request", cookie, Map.of("_csrf", csrfOf(form), "name", "db", "url", release,
                "p.memory", "8", "p.character-set", "latin1"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).containsPattern("data-field=\"memory\"[\\s\\S]*class=\"field-error\"");
        assertThat(admin.list()).isEmpty();
        HttpResponse<String> ok = post("/ui/request", cookie, Map.of("_csrf", csrfOf(form), "name", "db", "url", release,
                "p.memory", "64", "p.character-set", "latin1"));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(admin.info("db").parameters()).containsEntry("memory", 64).containsEntry("character-set", "latin1");
    }

    @Test
    void aBangShowsOnTheOverviewAndOnThePageOfItsInstance() throws Exception {
        Instance db = admin.request(InstanceRequest.of("db", release, Map.of()));
        node.bang("node-1", db.partition(), "mariadbd exited 1");
        String cookie = login(adminToken);
        assertThat(get("/ui/", cookie).body()).contains("<a href=\"/ui/instances/" + db.id() + "\">db</a>")
                .contains("mariadbd exited 1");
        assertThat(get("/ui/instances/" + db.id(), cookie).body()).contains("<strong>db</strong>").contains("mariadbd exited 1");
    }

    @Test
    void aStatusReportWakesTheLiveFeedOfTheInstancesOwnerOnly() throws Exception {
        Instance db = admin.request(InstanceRequest.of("db", release, Map.of()));
        String bob = admin.createUserToken("bob", false).token();
        java.util.concurrent.BlockingQueue<String> adminLines = events(login(adminToken));
        java.util.concurrent.BlockingQueue<String> bobLines = events(login(bob));
        assertThat(adminLines.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("event: hello");
        assertThat(bobLines.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("event: hello");
        node.reportStatus("node-1", db.partition(), new org.slapgrid.slap.model.PartitionStatus(
                List.of(new org.slapgrid.slap.model.PartitionStatus.Service("mariadbd", "RUNNING", 4242, 1L, 0)),
                List.of(), null, null));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "data: instance.status".equals(adminLines.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)));
        assertThat(bobLines).as("bob sees nothing of the admin's instance").noneMatch(l -> l.contains("instance.status"));
    }

    @Test
    void aFinishedRunOnceScriptAndAServiceStoppedOnPurposeAreNotShownAsErrors() throws Exception {
        Instance db = admin.request(InstanceRequest.of("db", release, Map.of()));
        node.reportStatus("node-1", db.partition(), new org.slapgrid.slap.model.PartitionStatus(List.of(
                new org.slapgrid.slap.model.PartitionStatus.Service("bootstrap", "EXITED", null, null, 0, List.of(), false, true, 0),
                new org.slapgrid.slap.model.PartitionStatus.Service("migrate", "EXITED", null, null, 0, List.of(), false, true, 3),
                new org.slapgrid.slap.model.PartitionStatus.Service("cron", "STOPPED", null, null, 0, List.of("pod01"), true)),
                List.of(), null, null));
        String live = get("/ui/instances/" + db.id() + "/live", login(adminToken)).body();
        assertThat(live).contains("<tr><td>bootstrap</td><td><span class=\"state state-started\">EXITED</span> run once, done</td>")
                .contains("<tr><td>migrate</td><td><span class=\"state state-error\">EXITED</span></td>")
                .contains("<tr><td>cron</td><td><span class=\"state state-stopped\">STOPPED</span> on purpose</td>");
    }

    /** The lines of the live feed's stream for {@code cookie}, as they arrive. */
    java.util.concurrent.BlockingQueue<String> events(String cookie) {
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        HttpRequest r = HttpRequest.newBuilder(master.url().resolve("/ui/events")).header("Cookie", cookie)
                .header("Accept", "text/event-stream").GET().build();
        http.sendAsync(r, HttpResponse.BodyHandlers.ofLines()).thenAccept(resp -> resp.body()
                .filter(l -> !l.isBlank() && !l.startsWith(":")).forEach(lines::add));
        return lines;
    }
}
