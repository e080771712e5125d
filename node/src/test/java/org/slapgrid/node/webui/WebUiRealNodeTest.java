package org.slapgrid.node.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slapgrid.node.NodeFixture;
import org.slapgrid.node.daemon.NodeDaemon;
import org.slapgrid.node.software.ReleaseCopy;
import org.slapgrid.slap.model.Instance;
import org.slapgrid.slap.model.InstanceRequest;
import org.slapgrid.slap.model.InstanceState;
import org.slapgrid.slap.model.LoginLink;
import org.slapgrid.slap.model.RequestedState;
import org.slapgrid.slap.model.SupplyState;
import org.slapgrid.testing.Browser;
import org.slapgrid.testing.Require;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * The web UI in a real browser (Debian's chromium, headless) against a real node daemon deploying
 * the repository's MariaDB release as {@code bin/slapos demo} does (a node of its own, a copy of
 * the release, Debian's mariadbd under a real supervisord): log in through a one-time link, see
 * the node and the instance, reveal the connection URL that holds the password, change
 * {@code memory} through the form made from the release's schema (a wrong value refused beside
 * the field) and see the state go back to started once the node restarted the server with it,
 * kill -9 the real mariadbd and see the bang appear without reload, destroy the instance and see
 * it go. A parameter holding a script is shown as text; a POST without the CSRF token is refused;
 * the link, used again, is refused. The page's screenshot is the README's (docs/ui-instance.png).
 */
class WebUiRealNodeTest {
    static final String XSS = "<script>alert(1)</script>";

    @TempDir
    Path tmp;
    ChromeDriver browser;

    @Test
    void theDemosMariaDbThroughTheWebUi() throws Exception {
        Require.that(Files.isExecutable(Path.of("/usr/sbin/mariadbd")),
                "needs Debian's mariadb-server (installed by .ci/run; required when CI=true)");
        Require.that(Files.isExecutable(Path.of("/usr/bin/supervisord")),
                "needs Debian's supervisor package (installed by .ci/run; required when CI=true)");
        Require.that(Files.isExecutable(Browser.DRIVER) && Files.isExecutable(Browser.CHROMIUM),
                "Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        try (NodeFixture n = NodeFixture.start(tmp, "demo-ui", "sgui", 2)) {
            // node "demo-ui", not the demo's "demo": its nftables table and users must not meet a demo running here.
            // As the demo: a copy of the release, under a path that says nothing of this checkout
            String url = ReleaseCopy.of(Path.of("..").toAbsolutePath().normalize(), "mariadb", tmp.resolve("releases")).toString();
            NodeDaemon daemon = new NodeDaemon(n.assemble(Duration.ofSeconds(30)), Duration.ofSeconds(30), n.logger());
            Thread thread = new Thread(daemon::run, "daemon");
            thread.start();
            browser = Browser.start(tmp.resolve("chromium"), 1280, 900);
            try {
                n.admin().supply(url, n.nodeId(), SupplyState.AVAILABLE);
                Instance db = n.admin().request(new InstanceRequest("demo-mariadb", url, "default",
                        Map.of("memory", 64, "comment", XSS), RequestedState.STARTED, false, Map.of("node", n.nodeId())));
                tour(n, db);
            } finally {
                browser.quit();
                daemon.stop();
                thread.join(60_000);
            }
        }
    }

    private void tour(NodeFixture n, Instance db) throws Exception {
        String ui = n.master().uiUrl().toString();
        LoginLink link = n.admin().createLoginLink();
        browser.get(link.url());
        eventually(() -> browser.findElements(By.id("overview-live")).size() == 1);
        assertThat(browser.getCurrentUrl()).as("the token left the address bar").doesNotContain("once=");
        eventually(() -> "on".equals(browser.findElement(By.tagName("body")).getAttribute("data-live")));
        eventually(() -> browser.findElement(By.id("nodes-up")).getText().equals("1"));

        // The node deploys the instance by itself: the overview counts it started, live.
        byTheNode(n, Duration.ofMinutes(3), () -> {
            Instance i = n.admin().info("demo-mariadb");
            return i.reportedState() == InstanceState.STARTED && i.connectionParameters().containsKey("url");
        });
        eventually(() -> browser.findElement(By.cssSelector("[data-count=started]")).getText().equals("1"));

        browser.findElement(By.linkText("Nodes")).click();
        String node = browser.findElement(By.id("node-demo-ui")).getText();
        assertThat(node).contains("1 used, 1 free of 2").contains("available").containsPattern("127\\.\\d+\\.0\\.\\d+ – 127\\.");

        browser.findElement(By.linkText("Instances")).click();
        browser.findElement(By.linkText("demo-mariadb")).click();
        assertThat(browser.findElement(By.id("instance-name")).getText()).isEqualTo("demo-mariadb");
        eventually(() -> browser.findElement(By.id("services")).getText().matches("(?s).*mariadbd\\S* RUNNING \\d+.*"));
        eventually(() -> browser.findElement(By.id("promises")).getText().contains("kept mariadb-sql-query"));

        // A parameter holding a script is text: shown as typed, never run.
        assertThat(browser.findElement(By.id("parameters")).getText()).contains(XSS);
        assertNoAlert();

        // The connection URL holds the password: absent from the page until revealed.
        String mysqlUrl = (String) n.admin().info("demo-mariadb").connectionParameters().get("url");
        String password = URI.create(mysqlUrl).getUserInfo().split(":", 2)[1];
        assertThat(browser.getPageSource()).doesNotContain(password);
        browser.findElement(By.cssSelector("#connection td[data-key=url] .reveal")).click();
        eventually(() -> browser.findElement(By.cssSelector("#connection td[data-key=url] code.revealed")).getText()
                .equals(mysqlUrl));

        // A POST without the CSRF token (the session cookie alone) is refused.
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("var done = arguments[0];"
                + "fetch('/ui/instances/" + db.id() + "/state', {method: 'POST', headers: {'Content-Type':"
                + " 'application/x-www-form-urlencoded'}, body: 'state=stopped'}).then(function (r) { done(r.status); });");
        assertThat(((Number) status).intValue()).isEqualTo(403);
        assertThat(n.admin().info("demo-mariadb").requestedState()).isEqualTo(RequestedState.STARTED);

        // The generated form: a wrong memory is refused beside the field; a right one is applied by the node.
        int pidBefore = mariadbPid(n, db);
        browser.findElement(By.id("edit")).click();
        WebElement memory = browser.findElement(By.cssSelector("[data-field=memory] input"));
        assertThat(memory.getAttribute("value")).isEqualTo("64");
        memory.clear();
        memory.sendKeys("8");
        browser.findElement(By.id("submit")).click();
        eventually(() -> browser.findElement(By.cssSelector("[data-field=memory] .field-error")).getText().contains("16"));
        assertThat(n.admin().info("demo-mariadb").parameters()).containsEntry("memory", 64);
        memory = browser.findElement(By.cssSelector("[data-field=memory] input"));
        memory.clear();
        memory.sendKeys("96");
        browser.findElement(By.id("submit")).click();
        eventually(() -> browser.getCurrentUrl().endsWith("/ui/instances/" + db.id()));
        assertThat(browser.findElement(By.id("parameters")).getText()).contains("96");
        eventually(() -> browser.findElement(By.id("state")).getText().equals("applying"));
        byTheNode(n, Duration.ofMinutes(2), () -> browser.findElement(By.id("state")).getText().equals("started")
                        && browser.findElement(By.id("applied")).getText().startsWith("yes"));
        assertThat(n.admin().info("demo-mariadb").parameters()).containsEntry("memory", 96);
        assertThat(mariadbPid(n, db)).as("the server was restarted with its new configuration").isNotEqualTo(pidBefore);

        // kill -9 of the real server: the bang appears on the open page, which is not reloaded.
        ((JavascriptExecutor) browser).executeScript("window.slapgridNotReloaded = true;");
        int pid = mariadbPid(n, db);
        assertThat(new ProcessExecutor().command("kill", "-9", Integer.toString(pid)).timeout(10, TimeUnit.SECONDS)
                .execute().getExitValue()).isZero();
        byTheNode(n, Duration.ofMinutes(1), () -> browser.findElement(By.id("bangs")).getText().contains("killed by a signal"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.slapgridNotReloaded === true;")).isEqualTo(true);
        // supervisord restarts it (InnoDB recovers first); the node, whose promises broke meanwhile, sees them kept again
        byTheNode(n, Duration.ofMinutes(2), () -> browser.findElement(By.id("state")).getText().equals("started"));
        assertThat(mariadbPid(n, db)).isNotEqualTo(pid);
        screenshot("ui-instance.png");

        // Destroy, confirmed; the node destroys it and the page says it is gone.
        browser.findElement(By.id("action-destroyed")).click();
        browser.switchTo().alert().accept();
        byTheNode(n, Duration.ofMinutes(2), () -> browser.findElement(By.id("gone")).isDisplayed());
        assertThat(n.admin().list()).isEmpty();

        // The audit log recorded the reveal (the key, never the value).
        browser.get(ui + "audit");
        assertThat(browser.findElement(By.id("audit")).getText()).contains("instance.reveal").doesNotContain(password);

        // The login link, used again, is refused.
        browser.findElement(By.cssSelector(".logout button")).click();
        eventually(() -> browser.getCurrentUrl().endsWith("/ui/login"));
        // from another page, as a user opens a link: from /ui/login itself, a link that differs only by
        // its #fragment is a same-document navigation, no page load, no script run (the old order
        // passed only when the logout's redirect had not landed yet)
        browser.get("about:blank");
        browser.get(link.url());
        eventually(() -> browser.findElement(By.id("login-error")).getText().contains("used already or has expired"));
    }

    /** The pid of the partition's mariadbd, as the server wrote it. */
    private static int mariadbPid(NodeFixture n, Instance db) throws Exception {
        Path pidFile = n.partition(n.admin().info(db.name()).partition()).directory().resolve("var/run/mariadb.pid");
        return Integer.parseInt(Files.readString(pidFile).strip());
    }

    /** Waits for what the node does, saying what it logged when it did not. */
    private static void byTheNode(NodeFixture n, Duration atMost, Callable<Boolean> check) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(check);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nthe node's log:\n" + n.log(), e);
        }
    }

    /** Re-reads the page until {@code check} holds: the live regions swap their content in place. */
    private static void eventually(Callable<Boolean> check) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(check);
    }

    /** The page as README shows it: docs/ui-instance.png is a copy of slapgrid/target/ui-instance.png. */
    private void screenshot(String name) throws Exception {
        browser.manage().window().setSize(new Dimension(1280, 1500));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
        browser.manage().window().setSize(new Dimension(1280, 900));
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
