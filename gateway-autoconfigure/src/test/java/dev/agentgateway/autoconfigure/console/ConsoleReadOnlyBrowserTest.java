package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.provider.ToolCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium when write operations are off, at a configured path, with
 * Actuator exposing only some of the gateway's endpoints.
 */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/read-only.properties")
class ConsoleReadOnlyBrowserTest {

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Autowired
    Approvals approvals;

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

    @Test
    void theControlsAreAbsentAndThePageSaysWhatItCannotShow() {
        ConsoleTestApplication.call(gateway, "writer", "acme", "hello");
        Approval approval = approvals.request("run-read-only", "clerk", "acme",
                List.of(new ToolCall("call-1", "refund", "{\"amount\":10}"))).get(0);

        browser.get("http://localhost:" + port + "/ops/console/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.until(ExpectedConditions.attributeToBeNotEmpty(browser.findElement(By.tagName("body")), "data-refreshed"));
        // The page reads everything again when its event stream opens, redrawing the tables: read them after that.
        wait.until(driver -> Integer.parseInt(driver.findElement(By.tagName("body")).getDomAttribute("data-refreshes")) >= 2);

        assertThat(browser.findElement(By.id("controls")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("[data-agent-action]"))).isEmpty();
        assertThat(textOf(wait, By.cssSelector("tr[data-approval='" + approval.id() + "']"))).contains("refund");
        assertThat(browser.findElements(By.cssSelector("[data-approval-action]"))).isEmpty();
        assertThat(browser.findElement(By.id("access-note")).getText())
                .contains("Read-only", "open to whoever reaches this port", "Not exposed by Actuator: checkpoints");
        assertThat(textOf(wait, By.cssSelector("#calls tbody tr"))).contains("writer", "acme");
        Chromium.screenshot(browser, "read-only");
    }

    /** The element's text, looked up again when a live update redrew it between the lookup and the read. */
    private static String textOf(WebDriverWait wait, By element) {
        return wait.ignoring(StaleElementReferenceException.class).until(driver -> driver.findElement(element).getText());
    }
}
