package dev.agentgateway.autoconfigure.console;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Debian's headless Chromium driven through its chromedriver, never a downloaded browser: the
 * binaries are {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * ({@code apt-get install -y chromium chromium-driver}, as {@code .ci/run} does).
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private Chromium() {
    }

    /**
     * A fresh headless browser. Skips the test when Chromium is not installed on a developer's
     * machine; on CI ({@code CI=true}) a missing browser fails instead, so the tests cannot go quiet.
     */
    static ChromeDriver start() {
        boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("CI needs " + BROWSER + " and " + DRIVER + ": apt-get install -y chromium chromium-driver");
        }
        Assumptions.assumeTrue(installed, "Browser tests skipped: " + BROWSER + " or " + DRIVER
                + " is missing (apt-get install -y chromium chromium-driver)");
        // Selenium Manager would otherwise look for (and download) a driver of its own
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000", "--user-data-dir=" + freshProfile());
        return new ChromeDriver(options);
    }

    /** Saves what the browser shows as {@code target/console-screenshots/<name>.png}. */
    static Path screenshot(ChromeDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path freshProfile() {
        try {
            return Files.createTempDirectory("console-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
