package org.slapgrid.master.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slapgrid.master.Master;
import org.slapgrid.master.MasterConfig;
import org.slapgrid.slap.SlapClient;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.NodeCredentials;
import org.slapgrid.slap.model.SoftwareState;
import org.slapgrid.slap.model.SupplyState;

/**
 * The web UI in a real browser (Debian's chromium, headless) against a real master, with a fake
 * node speaking the slap protocol over HTTP: log in, see the node and the MariaDB instance, reveal
 * its password, change {@code memory} through the form generated from the release's schema (a
 * wrong value refused beside the field) and watch the state go back to started once the node
 * applied it, see a bang appear live, destroy it and see it go; a parameter holding a script is
 * shown as text; another user gets the 403 page.
 */
class WebUiBrowserTest {
    static final String PASSWORD = "s3cr3t-pw-7f1c";
    static final String XSS = "<script>alert(1)</script>";

    @TempDir
    Path tmp;
    Master master;
    SlapClient admin;
    SlapClient node;
    FakeNode agent;
    ChromeDriver browser;
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
        agent = new FakeNode(node, "node-1", Duration.ofMillis(1500), Map.of("password", PASSWORD,
                "url", "mysql://user:" + PASSWORD + "@10.0.0.1:3306/main"));
        browser = Browser.start(tmp.resolve("chromium"), 1280, 900);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (agent != null) {
            agent.close();
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
    void theWholeTourOfAnInstance() throws Exception {
        Instance db = admin.request(new InstanceRequest("demo-mariadb", release, "default",
                Map.of("memory", "128", "comment", XSS), org.slapgrid.slap.model.RequestedState.STARTED, false, Map.of()));
        login(adminToken);

        // Overview: the node is up, the instance counted; live (the SSE stream is connected).
        eventually(() -> browser.findElement(By.id("nodes-up")).getText().equals("1"));
        eventually(() -> "on".equals(browser.findElement(By.tagName("body")).getAttribute("data-live")));
        eventually(() -> browser.findElement(By.cssSelector("[data-count=started]")).getText().equals("1"));

        browser.findElement(By.linkText("Nodes")).click();
        assertThat(browser.findElement(By.id("node-node-1")).getText()).contains("1 used, 2 free of 3").contains("available");

        browser.findElement(By.linkText("Instances")).click();
        browser.findElement(By.linkText("demo-mariadb")).click();
        assertThat(browser.findElement(By.id("instance-name")).getText()).isEqualTo("demo-mariadb");
        eventually(() -> browser.findElement(By.id("services")).getText().contains("mariadbd RUNNING 4242"));
        assertThat(browser.findElement(By.id("promises")).getText()).contains("kept mariadb-alive");

        // A parameter holding a script is text: shown as typed, never run.
        assertThat(browser.findElement(By.id("parameters")).getText()).contains(XSS);
        assertNoAlert();

        // Connection parameters: masked, absent from the page source until revealed.
        eventually(() -> browser.findElements(By.cssSelector("#connection .reveal")).size() == 2);
        assertThat(browser.getPageSource()).doesNotContain(PASSWORD);
        browser.findElement(By.cssSelector("#connection td[data-key=password] .reveal")).click();
        eventually(() -> browser.findElement(By.cssSelector("#connection td[data-key=password] code.revealed")).getText()
                .equals(PASSWORD));

        // The generated form: a wrong memory is refused beside the field; a right one is applied.
        browser.findElement(By.id("edit")).click();
        WebElement memory = browser.findElement(By.cssSelector("[data-field=memory] input"));
        assertThat(memory.getAttribute("value")).isEqualTo("128");
        assertThat(browser.findElement(By.cssSelector("[data-field=character-set] select")).getTagName()).isEqualTo("select");
        memory.clear();
        memory.sendKeys("8");
        browser.findElement(By.id("submit")).click();
        eventually(() -> browser.findElement(By.cssSelector("[data-field=memory] .field-error")).getText().contains("16"));
        assertThat(admin.info("demo-mariadb").parameters()).containsEntry("memory", "128");
        memory = browser.findElement(By.cssSelector("[data-field=memory] input"));
        memory.clear();
        memory.sendKeys("256");
        browser.findElement(By.id("submit")).click();
        eventually(() -> browser.getCurrentUrl().endsWith("/ui/instances/" + db.id()));
        assertThat(browser.findElement(By.id("parameters")).getText()).contains("256");
        eventually(() -> browser.findElement(By.id("state")).getText().equals("applying"));
        eventually(() -> browser.findElement(By.id("state")).getText().equals("started")
                && browser.findElement(By.id("applied")).getText().startsWith("yes"));
        assertThat(admin.info("demo-mariadb").parameters()).containsEntry("memory", 256);

        // A bang appears without reload.
        node.bang("node-1", db.partition(), "mariadbd exited with status 1 (killed)");
        eventually(() -> browser.findElement(By.id("bangs")).getText().contains("mariadbd exited with status 1"));
        screenshot("ui-instance.png");

        // Destroy, confirmed; the node destroys it and the page says it is gone.
        browser.findElement(By.id("action-destroyed")).click();
        browser.switchTo().alert().accept();
        eventually(() -> browser.findElement(By.id("gone")).isDisplayed());
        assertThat(admin.list()).isEmpty();

        // The audit log recorded the reveal (the key, never the value).
        browser.get(ui("audit"));
        String audit = browser.findElement(By.id("audit")).getText();
        assertThat(audit).contains("instance.reveal").contains("password").doesNotContain(PASSWORD);
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
    void theApiDocsPageRendersTheOpenApiFile() throws Exception {
        login(adminToken);
        browser.get(ui("api-docs"));
        eventually(() -> browser.findElement(By.id("swagger")).getText().contains("/api/v1/instances"));
    }

    /** The page as README shows it (docs/ui-instance.png is a copy of target/ui-instance.png). */
    private void screenshot(String name) throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1500));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
    }

    private void assertNoAlert() {
        try {
            browser.switchTo().alert();
            throw new AssertionError("an alert opened: a parameter's script ran");
        } catch (NoAlertPresentException expected) {
            // the script was shown as text
        }
    }
}
