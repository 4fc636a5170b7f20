package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium behind the application's Spring Security: the operator
 * signs in on Spring Security's login page and acts, the page sending the CSRF token.
 */
@SpringBootTest(classes = {ConsoleTestApplication.class, ConsoleSecurityConfiguration.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/writable.properties")
class ConsoleSecuredBrowserTest {

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @BeforeAll
    static void startBrowser() {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @AfterEach
    void resume() {
        gateway.resumeAll();
    }

    @Test
    void anOperatorSignsInAndStopsTheGatewayWithTheCsrfToken() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get("http://localhost:" + port + "/agent-gateway/");

        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username"))).sendKeys("operator");
        browser.findElement(By.name("password")).sendKeys(ConsoleSecurityConfiguration.PASSWORD);
        browser.findElement(By.cssSelector("button[type='submit']")).click();

        wait.until(ExpectedConditions.urlContains("/agent-gateway/"));
        wait.until(ExpectedConditions.attributeToBeNotEmpty(browser.findElement(By.tagName("body")), "data-refreshed"));
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        // The page reads everything again when its event stream opens: act after that read.
        wait.until(driver -> Integer.parseInt(driver.findElement(By.tagName("body")).getDomAttribute("data-refreshes")) >= 2);
        assertThat(browser.findElement(By.id("access-note")).getText())
                .contains("Protected by Spring Security: signed in as operator");
        Chromium.screenshot(browser, "secured-signed-in");

        browser.findElement(By.id("btn-stop")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.textToBe(By.id("gateway-state"), "STOPPED"));
        assertThat(gateway.isStopped()).isTrue();
        wait.until(ExpectedConditions.textMatches(By.id("audit"), Pattern.compile("operator: stop gateway")));
    }
}
