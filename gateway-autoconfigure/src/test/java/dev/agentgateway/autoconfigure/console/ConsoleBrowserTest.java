package dev.agentgateway.autoconfigure.console;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ToolCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console in a real headless Chromium, with write operations enabled. */
@SpringBootTest(classes = ConsoleTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(locations = "classpath:console/writable.properties")
class ConsoleBrowserTest {

    static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Autowired
    Approvals approvals;

    @Autowired
    ConsoleTestApplication.RefundTools refunds;

    WebDriverWait wait;

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

    @BeforeEach
    void openConsole() {
        gateway.reset();
        approvals.store().clear();
        // Live updates redraw rows under the test: a wait looks an element up again when it went stale.
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        browser.get("http://localhost:" + port + "/agent-gateway");
        wait.until(ExpectedConditions.attributeToBeNotEmpty(browser.findElement(By.tagName("body")), "data-refreshed"));
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        // the page reads everything again once its stream is open: let that settle before the test acts
        wait.until(driver -> Integer.parseInt(driver.findElement(By.tagName("body")).getDomAttribute("data-refreshes")) >= 2);
    }

    @AfterEach
    void resume() {
        gateway.resumeAll();
    }

    @Test
    void aCallMadeThroughTheApiAppearsWithoutReloading() {
        browser.executeScript("window.sameDocument = true");

        ConsoleTestApplication.call(gateway, "writer", "acme", "hello");

        String callId = gateway.getCallHistory("writer", 1).get(0).callId();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-call-id='" + callId + "']")));
        assertThat(row.getText()).contains("writer", "acme", "success", "$0.0100", "150");
        assertThat(browser.executeScript("return window.sameDocument")).isEqualTo(true);
        assertThat(browser.findElement(By.cssSelector("tr[data-scope='agent:writer']")).getText()).contains("$0.0100");
        Chromium.screenshot(browser, "call-appears");
    }

    @Test
    void callsAreFilteredByAgentAndOutcome() {
        ConsoleTestApplication.call(gateway, "writer", null, "one");
        ConsoleTestApplication.toolRun(gateway, "run-filter");
        assertThatThrownBy(() -> gateway.call(dev.agentgateway.core.GatewayCall.builder().agentId("writer").provider("flaky")
                .model("m").user("fails").build())).isInstanceOf(ProviderException.class);
        wait.until(driver -> rows().size() == 4);

        browser.findElement(By.id("filter-agent")).sendKeys("researcher\n");
        wait.until(driver -> rows().size() == 2 && rows().stream().allMatch(row -> row.getText().contains("researcher")));

        browser.findElement(By.id("filter-agent")).clear();
        browser.findElement(By.id("filter-agent")).sendKeys("\n");
        new Select(browser.findElement(By.id("filter-outcome"))).selectByValue("failed");
        wait.until(driver -> rows().size() == 1 && rows().get(0).getText().contains("failed"));
        Chromium.screenshot(browser, "calls-filtered");
        new Select(browser.findElement(By.id("filter-outcome"))).selectByValue("");
    }

    @Test
    void aCallOpensToItsRequestResponseTokensCostAndToolCalls() {
        ConsoleTestApplication.call(gateway, "writer", "acme", "a first call");
        ConsoleTestApplication.toolRun(gateway, "run-7");
        String asking = gateway.getCallHistory("researcher", 2).get(0).callId();
        wait.until(driver -> rows().size() == 3);

        browser.findElement(By.cssSelector("tr[data-call-id='" + asking + "']")).click();

        WebElement detail = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("call-detail")));
        assertThat(detail.findElement(By.id("detail-figures")).getText())
                .contains("researcher", "run-7", "script-1", "input tokens", "cost", "latency", "tool_calls");
        assertThat(detail.findElement(By.id("detail-request")).getText()).contains("look it up", "lookup");
        assertThat(detail.findElement(By.id("detail-tools")).getText())
                .contains("lookup", "{\"q\":\"quarterly plans\"}", "success: result for quarterly plans");
        assertThat(browser.findElement(By.cssSelector("[data-run='run-7']")).getText()).contains("finished", "lookup");
        Chromium.screenshot(browser, "call-detail");
        detail.findElement(By.cssSelector("button.close")).click();
    }

    @Test
    void runsAreATimelineWithTheirStateAndTheirUsageAgainstThePerRunLimits() {
        ConsoleTestApplication.toolRun(gateway, "run-done");
        assertThatThrownBy(() -> gateway.call(dev.agentgateway.core.GatewayCall.builder().agentId("writer").provider("flaky")
                .model("m").workflowId("run-broken").user("fails").build())).isInstanceOf(ProviderException.class);

        WebElement done = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-run='run-done']")));
        WebElement broken = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-run='run-broken']")));

        assertThat(done.getDomAttribute("data-state")).isEqualTo("finished");
        assertThat(done.findElement(By.cssSelector("[data-run-usage]")).getText()).contains("/ $0.5000", "2 / 10");
        assertThat(done.findElement(By.cssSelector(".timeline")).getText())
                .contains("step 1 · success", "lookup · success", "step 2 · success", "checkpoints");
        assertThat(broken.getDomAttribute("data-state")).isEqualTo("failed");
        // the failed call was no step, as the gateway counts it
        assertThat(broken.findElement(By.cssSelector("[data-run-usage]")).getText()).contains("$0.0000 / $0.5000", "0 / 10");
        browser.executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("runs-section")));
        Chromium.screenshot(browser, "runs");
    }

    @Test
    void theGatewayIsStoppedAndResumedAfterConfirmation() {
        browser.findElement(By.id("btn-stop")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.textToBe(By.id("gateway-state"), "STOPPED"));
        assertThat(gateway.isStopped()).isTrue();
        wait.until(ExpectedConditions.textMatches(By.id("audit"), Pattern.compile("stop gateway")));
        Chromium.screenshot(browser, "stopped");

        browser.findElement(By.id("btn-resume")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBe(By.id("gateway-state"), "running"));
        assertThat(gateway.isStopped()).isFalse();
    }

    @Test
    void aNamedTenantsLimitIsChangedLiveAfterConfirmation() {
        ExecutionLimits configured = gateway.getLimits();
        try {
            new Select(browser.findElement(By.id("limit-scope"))).selectByValue("tenant:small");
            new Select(browser.findElement(By.id("limit-name"))).selectByValue("maxSteps");
            browser.findElement(By.id("limit-value")).sendKeys("5");
            browser.findElement(By.id("btn-limit")).click();
            wait.until(ExpectedConditions.alertIsPresent()).accept();

            wait.until(ExpectedConditions.textMatches(By.cssSelector("tr[data-scope='tenant:small']"), Pattern.compile("0 / 5")));
            assertThat(gateway.getLimits().limitsFor(LimitScope.tenant("small")).maxSteps()).isEqualTo(5);
            wait.until(ExpectedConditions.textMatches(By.id("audit"), Pattern.compile("limits tenant small")));
        } finally {
            gateway.updateLimits(configured);
        }
    }

    @Test
    void aTenantNotYetListedIsNamedAndGivenALimit() {
        ExecutionLimits configured = gateway.getLimits();
        try {
            new Select(browser.findElement(By.id("limit-scope"))).selectByValue("tenant:*");
            new Select(browser.findElement(By.id("limit-name"))).selectByValue("maxBudget");
            browser.findElement(By.id("limit-value")).sendKeys("0.25");
            browser.findElement(By.id("btn-limit")).click();
            Alert prompt = wait.until(ExpectedConditions.alertIsPresent());
            prompt.sendKeys("newco");
            prompt.accept();
            assertThat(wait.until(ExpectedConditions.alertIsPresent()).getText()).contains("tenant newco", "0.25");
            browser.switchTo().alert().accept();

            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-scope='tenant:newco']")));
            assertThat(gateway.getLimits().limitsFor(LimitScope.tenant("newco")).maxBudget()).isEqualByComparingTo("0.25");
        } finally {
            gateway.updateLimits(configured);
        }
    }

    @Test
    void aConsoleTurnedAwayWhileEveryPlaceIsTakenGoesLiveOnceOneIsFree() throws Exception {
        ConsoleHttp http = new ConsoleHttp(port);
        List<HttpResponse<InputStream>> taken = new ArrayList<>();
        String console = browser.getWindowHandle();
        try {
            // every refused subscription pings the subscribers, and a browser that left fails the second write to it:
            // once three in a row are refused, every place is held by a live stream
            for (int refused = 0; refused < 3; ) {
                HttpResponse<InputStream> stream = http.subscribe("/agent-gateway/api/events");
                if (stream.statusCode() == 200) {
                    taken.add(stream);
                    refused = 0;
                } else {
                    stream.body().close();
                    refused++;
                }
            }
            browser.switchTo().newWindow(WindowType.TAB).get("http://localhost:" + port + "/agent-gateway/");
            wait.until(ExpectedConditions.attributeToBeNotEmpty(browser.findElement(By.tagName("body")), "data-refreshed"));
            wait.until(ExpectedConditions.textToBe(By.id("live"), "reconnecting"));

            for (HttpResponse<InputStream> stream : taken) {
                stream.body().close();
            }
            // the server notices a browser that left when a write to it fails: calls make writes
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> {
                ConsoleTestApplication.call(gateway, "writer", null, "anyone there?");
                return "live".equals(driver.findElement(By.id("live")).getText());
            });
        } finally {
            for (HttpResponse<InputStream> stream : taken) {
                stream.body().close();
            }
            if (!browser.getWindowHandle().equals(console)) {
                browser.close();
            }
            browser.switchTo().window(console);
        }
    }

    @Test
    void aDismissedConfirmationChangesNothing() {
        browser.findElement(By.id("btn-stop")).click();
        wait.until(ExpectedConditions.alertIsPresent()).dismiss();

        assertThat(browser.findElement(By.id("gateway-state")).getText()).isEqualTo("running");
        assertThat(gateway.isStopped()).isFalse();
    }

    @Test
    void aPendingToolCallAppearsWithoutReloadingAndIsApprovedAfterConfirmation() {
        Approval approval = requestApproval("run-approve", "refund", "{\"amount\":10}");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(approvalRow(approval)));
        assertThat(row.getText()).contains("refund", "{\"amount\":10}", "run-approve", "clerk", "acme");
        assertThat(browser.findElement(By.cssSelector("[data-run='run-approve']")).getText()).contains("awaiting approval", "refund");
        Chromium.screenshot(browser, "approval-pending");

        row.findElement(By.cssSelector("[data-approval-action='approve']")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.invisibilityOfElementLocated(approvalRow(approval)));
        ApprovalDecision decision = approvals.find(approval.id()).orElseThrow().decision();
        assertThat(decision.verdict()).isEqualTo(ApprovalDecision.Verdict.APPROVED);
        assertThat(decision.decidedBy()).startsWith("anonymous@");
        wait.until(ExpectedConditions.textMatches(By.id("audit"), Pattern.compile("approve approval " + approval.id())));
    }

    @Test
    void aRealPausedRunIsApprovedInTheConsoleAndResumesToItsEnd() {
        ConsoleTestApplication.pausedRun(gateway, "run-paused");
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-run='run-paused']"), "data-state", "awaiting approval"));
        Approval approval = approvals.forRun("run-paused").get(0);
        assertThat(refunds.refunds).hasValue(0);

        wait.until(driver -> {
            driver.findElement(approvalRow(approval)).findElement(By.cssSelector("[data-approval-action='approve']")).click();
            return true;
        });
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("[data-run='run-paused']"), "data-state", "finished"));
        assertThat(refunds.refunds).hasValue(1);
        String timeline = wait.until(driver -> driver.findElement(By.cssSelector("[data-run='run-paused'] .timeline")).getText());
        assertThat(timeline)
                .contains("step 1 · success", "refund · success", "step 2 · success");
        browser.executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("runs-section")));
        Chromium.screenshot(browser, "paused-run-resumed");
    }

    @Test
    void aToolCallIsRejectedWithTheReasonTheOperatorGives() {
        Approval approval = requestApproval("run-reject", "refund", "{\"amount\":10000}");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(approvalRow(approval)));

        row.findElement(By.cssSelector("[data-approval-action='reject']")).click();
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approval-dialog")));
        dialog.findElement(By.id("approval-reason")).sendKeys("over the refund cap");
        Chromium.screenshot(browser, "approval-reject");
        dialog.findElement(By.id("approval-submit")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.invisibilityOfElementLocated(approvalRow(approval)));
        ApprovalDecision decision = approvals.find(approval.id()).orElseThrow().decision();
        assertThat(decision.verdict()).isEqualTo(ApprovalDecision.Verdict.REJECTED);
        assertThat(decision.reason()).isEqualTo("over the refund cap");
    }

    @Test
    void aToolCallIsApprovedWithArgumentsTheOperatorEdited() {
        Approval approval = requestApproval("run-edit", "refund", "{\"amount\":10000}");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(approvalRow(approval)));

        row.findElement(By.cssSelector("[data-approval-action='edit']")).click();
        WebElement arguments = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approval-arguments")));
        assertThat(arguments.getDomProperty("value")).isEqualTo("{\"amount\":10000}");
        arguments.clear();
        arguments.sendKeys("{\"amount\":100}");
        browser.findElement(By.id("approval-submit")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        wait.until(ExpectedConditions.invisibilityOfElementLocated(approvalRow(approval)));
        ApprovalDecision decision = approvals.find(approval.id()).orElseThrow().decision();
        assertThat(decision.verdict()).isEqualTo(ApprovalDecision.Verdict.APPROVED_WITH_EDIT);
        assertThat(decision.editedArguments()).isEqualTo("{\"amount\":100}");
    }

    @Test
    void editedArgumentsThatAreNotAnObjectAreRefusedOnThePageAndTheApprovalStaysPending() {
        Approval approval = requestApproval("run-bad-edit", "refund", "{\"amount\":10}");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(approvalRow(approval)));

        row.findElement(By.cssSelector("[data-approval-action='edit']")).click();
        WebElement arguments = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approval-arguments")));
        arguments.clear();
        arguments.sendKeys("not json");
        browser.findElement(By.id("approval-submit")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approval-error")));
        assertThat(error.getText()).contains("JSON object");
        assertThat(approvals.find(approval.id()).orElseThrow().isPending()).isTrue();
    }

    private Approval requestApproval(String run, String tool, String arguments) {
        return approvals.request(run, "clerk", "acme", List.of(new ToolCall("call-" + run, tool, arguments))).get(0);
    }

    private static By approvalRow(Approval approval) {
        return By.cssSelector("tr[data-approval='" + approval.id() + "']");
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#calls tbody tr"));
    }
}
