package org.slapgrid.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven headless by Debian's chromedriver: never a browser download (the
 * driver and the browser are given by path, so Selenium Manager is never asked for either).
 * Without them the test is skipped, except under CI=true, where it fails. Selenium is an optional
 * dependency of this module: a module whose tests drive the browser declares selenium-java itself.
 */
public final class Browser {
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private Browser() {
    }

    public static ChromeDriver start(Path profile, int width, int height) throws IOException {
        Require.that(Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM),
                "Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-default-apps", "--disable-extensions", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
