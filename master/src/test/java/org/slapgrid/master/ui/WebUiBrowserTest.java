package org.slapgrid.master.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.NodeCredentials;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SupplyState;
import org.slapgrid.testing.Browser;

/**
 * The web UI in a real browser (Debian's chromium, headless) against a real master, no node
 * needed: another user gets the 403 page and an empty list, the pages fit a phone's width, logout
 * ends the session, the API docs render. The tour of an instance deployed by a real node (reveal,
 * the generated form, a killed mariadbd's bang live, destroy, the README's screenshot) is
 * {@code WebUiRealNodeTest} in the node module, which has the node and MariaDB.
 */
class WebUiBrowserTest {
    static final String PASSWORD = "s3cr3t-pw-7f1c";

    @TempDir
    Path tmp;
    Master master;
    SlapClient admin;
    ChromeDriver browser;
    SlapClient node;
    String adminToken;
    String release;

    @BeforeEach
    void start() throws Exception {
        master = Master.start(MasterConfig.defaults(tmp.resolve("master")).withListen("127.0.0.1", 0)
                .withAuthCacheTtl(Duration.ZERO).withRecheckInterval(Duration.ofMillis(200)));
        adminToken = Files.readString(master.config().adminTokenFile()).strip();
        admin = client(adminToken);
        NodeCredentials n = admin.registerNode("node-1", List.of("slappart0", "slappart1", "slappart2"));
        node = client(n.secret());
        // The repository's MariaDB release: its software.cfg.json names the schema the form is made from.
        release = Path.of("..", "software-releases", "mariadb", "software.cfg").toAbsolutePath().normalize().toString();
        admin.supply(release, "node-1", SupplyState.AVAILABLE);
        node.reportSoftware("node-1", release, SoftwareState.AVAILABLE, null);
        browser = Browser.start(tmp.resolve("chromium"), 1280, 900);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        master.close();
    }

    SlapClient client(String token) {
        return SlapClient.builder(master.url()).token(token).timeout(Duration.ofSeconds(10)).build();
    }

    String ui(String path) {
        return master.uiUrl() + path;
    }

    void login(String token) {
        browser.get(ui(""));
        assertThat(browser.getCurrentUrl()).as("a page without session leads to the login").contains("/ui/login");
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.id("overview-live")).size() == 1);
        } catch (RuntimeException e) {
            System.out.println("DEBUG url=" + browser.getCurrentUrl() + "\n" + browser.getPageSource());
            throw e;
        }
    }

    /** Re-reads the page until {@code check} holds: the live regions swap their content in place. */
    void eventually(Callable<Boolean> check) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(check);
    }

    @Test
    void anotherUserGetsTheForbiddenPageAndPhoneWidthFits() throws Exception {
        Instance db = admin.request(InstanceRequest.of("alice-db", release, Map.of()));
        String bob = admin.createUserToken("bob", false).token();
        login(bob);
        browser.get(ui("instances/" + db.id()));
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("403");
        assertThat(browser.getPageSource()).doesNotContain("alice-db").doesNotContain(PASSWORD);
        browser.get(ui("instances"));
        assertThat(browser.findElement(By.id("main")).getText()).contains("No instance yet");

        // Phone width: nothing wider than the screen.
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.get(ui(""));
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);

        // Logout ends the session: the cookie no longer opens a page.
        browser.findElement(By.cssSelector(".logout button")).click();
        browser.get(ui("instances"));
        assertThat(browser.getCurrentUrl()).contains("/ui/login");
    }

    @Test
    void aClustersPageDrawsItsMetricChartWithThePolicysThresholdsAndFitsAPhone() throws Exception {
        org.slapgrid.slap.model.ClusterInfo c = admin.createCluster(new org.slapgrid.slap.model.ClusterRequest("db", release,
                org.slapgrid.slap.model.ClusterTopology.FAILOVER, Map.of(),
                List.of(new org.slapgrid.slap.model.ClusterRole("db", "default", Map.of(), 2, 1, 3))));
        admin.setScalingPolicy("db", new org.slapgrid.slap.model.ScalingPolicy("db", "cpu", "avg", 0.8, 60, 0.2, 120, 1, 300, true));
        long now = System.currentTimeMillis();
        List<org.slapgrid.slap.model.MetricBatch.Sample> samples = new java.util.ArrayList<>();
        for (org.slapgrid.slap.model.ClusterMember m : c.members()) {
            for (int k = 0; k < 6; k++) {
                samples.add(new org.slapgrid.slap.model.MetricBatch.Sample(m.partition(), "cpu", now - (6 - k) * 10_000L, 0.1 * k));
            }
        }
        node.sendMetrics("node-1", new org.slapgrid.slap.model.MetricBatch(samples));
        login(adminToken);
        browser.findElement(By.linkText("Clusters")).click();
        browser.findElement(By.linkText("db")).click();
        eventually(() -> "2".equals(browser.findElement(By.id("metric-chart")).getAttribute("data-drawn")));
        assertThat(browser.findElements(By.cssSelector("#metric-chart canvas"))).hasSize(1);
        assertThat(browser.findElement(By.id("metric-chart")).getText()).contains("db.0").contains("db.1")
                .contains("scale out db above 0.8").contains("scale in db below 0.2");
        assertThat(browser.findElement(By.id("role-db")).getText()).contains("db.0").contains("primary").contains("node-1");

        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.navigate().refresh();
        eventually(() -> "2".equals(browser.findElement(By.id("metric-chart")).getAttribute("data-drawn")));
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).as("the cluster page fits a phone").isLessThanOrEqualTo(0);
    }

    @Test
    void theApiDocsPageRendersTheOpenApiFile() throws Exception {
        login(adminToken);
        browser.get(ui("api-docs"));
        eventually(() -> browser.findElement(By.id("swagger")).getText().contains("/api/v1/instances"));
    }

}
