package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.LimitWarningEvent;
import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitKind;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ToolSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The endpoints over HTTP, as an operator sees them, with write operations enabled:
 * {@code /actuator/agentgateway} (read and live control), {@code /actuator/agentcalls},
 * {@code /actuator/agentcheckpoints}, the health indicator and the meters.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=health,metrics,agentgateway,agentcalls,agentcheckpoints",
                "management.endpoint.health.show-details=always",
                "agent-gateway.actuator.write-enabled=true",
                "agent-gateway.limits.max-budget=1.00",
                "agent-gateway.limits.max-steps=100",
                "agent-gateway.tenants.small.max-steps=2",
                "agent-gateway.checkpoint.enabled=true",
                "agent-gateway.resilience.retry.max-attempts=1",
                "agent-gateway.loop-detection.enabled=false",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
class GatewayEndpointsHttpTest {

    private static ExecutionLimits configuredLimits;

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Autowired
    ActuatorTestApplication.WarningEvents warnings;

    Http http;

    @BeforeEach
    void freshGateway() {
        http = new Http(port);
        if (configuredLimits == null) {
            configuredLimits = gateway.getLimits();
        }
        gateway.updateLimits(configuredLimits);
        gateway.resumeAll();
        gateway.pausedAgents().forEach(gateway::resumeAgent);
        gateway.reset();
        warnings.events.clear();
    }

    private LlmResponse call(String agent, String provider, String tenant, String workflow, String prompt) {
        return gateway.call(GatewayCall.builder().agentId(agent).provider(provider).model("test-model").user(prompt)
                .tenant(tenant).workflowId(workflow).build());
    }

    @Test
    void metricsMapHasExactlyTheSeedKeysAndTheNumbersOfKnownCalls() {
        call("alpha", "priced", "acme", null, "one");
        call("alpha", "priced", "acme", null, "two");
        call("beta", "priced", null, null, "three");

        Http.Response response = http.get("/actuator/agentgateway");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        JsonNode metrics = body.get("metrics");
        assertThat(metrics.propertyNames()).containsExactly("total_cost", "total_steps", "total_tokens", "input_tokens",
                "output_tokens", "elapsed_seconds", "remaining", "call_count");
        assertThat(metrics.get("remaining").propertyNames()).containsExactly("budget", "steps", "time");
        assertThat(metrics.get("total_cost").decimalValue()).isEqualByComparingTo("0.03");
        assertThat(metrics.get("total_steps").asLong()).isEqualTo(3);
        assertThat(metrics.get("input_tokens").asLong()).isEqualTo(300);
        assertThat(metrics.get("output_tokens").asLong()).isEqualTo(150);
        assertThat(metrics.get("total_tokens").asLong()).isEqualTo(450);
        assertThat(metrics.get("call_count").asLong()).isEqualTo(3);
        assertThat(metrics.get("elapsed_seconds").isNumber()).isTrue();
        assertThat(metrics.get("remaining").get("budget").decimalValue()).isEqualByComparingTo("0.97");
        assertThat(metrics.get("remaining").get("steps").asLong()).isEqualTo(97);
        assertThat(metrics.get("remaining").get("time").isNull()).isTrue();

        JsonNode limits = body.get("limits");
        assertThat(limits.get("maxBudget").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(limits.get("maxSteps").asInt()).isEqualTo(100);
        assertThat(limits.get("maxTime").isNull()).isTrue();
        assertThat(limits.get("tenants").get("small").get("maxSteps").asInt()).isEqualTo(2);
        assertThat(limits.get("warningThreshold").asDouble()).isEqualTo(0.8);

        JsonNode alpha = body.get("agents").get("alpha");
        assertThat(alpha.get("steps").asLong()).isEqualTo(2);
        assertThat(alpha.get("cost").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(alpha.get("inputTokens").asLong()).isEqualTo(200);
        assertThat(alpha.get("outputTokens").asLong()).isEqualTo(100);
        assertThat(alpha.get("totalTokens").asLong()).isEqualTo(300);
        assertThat(alpha.get("failedCalls").asLong()).isZero();
        assertThat(alpha.get("paused").asBoolean()).isFalse();
        assertThat(body.get("agents").get("beta").get("steps").asLong()).isEqualTo(1);
        JsonNode acme = body.get("tenants").get("acme");
        assertThat(acme.get("steps").asLong()).isEqualTo(2);
        assertThat(acme.get("cost").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(body.get("tenants").get("small").get("remaining").get("steps").asLong()).isEqualTo(2);

        assertThat(body.get("stopped").asBoolean()).isFalse();
        assertThat(body.get("pausedAgents")).isEmpty();
        assertThat(body.get("loopsDetected").asLong()).isZero();
        assertThat(body.get("toolDenials").get("total").asLong()).isZero();
        assertThat(strings(body.get("providers"))).contains("priced", "flaky", "scripted", "mock");
        assertThat(body.get("circuitBreakers").get("priced").get("state").asString()).isEqualTo("CLOSED");
        assertThat(body.get("writeEnabled").asBoolean()).isTrue();
    }

    @Test
    void oneAgentHasItsOwnView() {
        call("alpha", "priced", null, null, "one");

        JsonNode alpha = http.get("/actuator/agentgateway/alpha").json();

        assertThat(alpha.get("agentId").asString()).isEqualTo("alpha");
        assertThat(alpha.get("steps").asLong()).isEqualTo(1);
        assertThat(alpha.get("cost").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(alpha.get("toolDenials").get("total").asLong()).isZero();
        assertThat(http.get("/actuator/agentgateway/nobody").status()).isEqualTo(404);
    }

    @Test
    void theKillSwitchStopsEveryCallAndTurnsHealthDown() {
        JsonNode health = http.get("/actuator/health").json().get("components").get("agentGateway");
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("remaining").get("budget").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(health.get("details").get("remaining").get("steps").asLong()).isEqualTo(100);

        Http.Response stopped = http.post("/actuator/agentgateway/stop");

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("stopped").asBoolean()).isTrue();
        assertThat(gateway.isStopped()).isTrue();
        assertThatThrownBy(() -> call("alpha", "priced", null, null, "hello")).isInstanceOf(GatewayStoppedException.class);
        Http.Response down = http.get("/actuator/health");
        assertThat(down.status()).isEqualTo(503);
        JsonNode downHealth = down.json().get("components").get("agentGateway");
        assertThat(downHealth.get("status").asString()).isEqualTo("DOWN");
        assertThat(downHealth.get("details").get("stopped").asBoolean()).isTrue();
        assertThat(downHealth.get("details").get("reasons").get(0).asString()).contains("kill switch");

        assertThat(http.post("/actuator/agentgateway/resume").json().get("stopped").asBoolean()).isFalse();
        assertThat(call("alpha", "priced", null, null, "hello").content()).isEqualTo("priced answer");
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void anExhaustedGlobalBudgetTurnsHealthDown() {
        Http.Response updated = http.post("/actuator/agentgateway/limits", "{\"maxBudget\": \"0.02\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("limits").get("maxBudget").decimalValue()).isEqualByComparingTo("0.02");

        call("alpha", "priced", null, null, "one");
        call("alpha", "priced", null, null, "two");

        assertThatThrownBy(() -> call("alpha", "priced", null, null, "three")).isInstanceOf(BudgetExceededException.class);
        JsonNode health = http.get("/actuator/health").json().get("components").get("agentGateway");
        assertThat(health.get("status").asString()).isEqualTo("DOWN");
        assertThat(health.get("details").get("remaining").get("budget").decimalValue()).isEqualByComparingTo("0");
        assertThat(health.get("details").get("reasons").get(0).asString()).contains("budget");
    }

    @Test
    void aRefusedCallIsInTheCallHistoryAndTheAgentsFailedCalls() {
        assertThat(http.post("/actuator/agentgateway/alpha/pause").status()).isEqualTo(200);
        assertThatThrownBy(() -> call("alpha", "priced", null, "wf-p", "hi")).isInstanceOf(AgentPausedException.class);

        assertThat(calls("?agentId=alpha&success=false")).singleElement().satisfies(refused -> {
            assertThat(refused.get("refusedBy").asString()).isEqualTo("pause:alpha");
            assertThat(refused.get("errorType").asString()).isEqualTo("AgentPausedException");
            assertThat(refused.get("workflowId").asString()).isEqualTo("wf-p");
        });
        assertThat(http.get("/actuator/agentgateway/alpha").json().get("failedCalls").asLong()).isEqualTo(1);
    }

    @Test
    void oneAgentCanBePausedAndResumed() {
        Http.Response paused = http.post("/actuator/agentgateway/alpha/pause");

        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().get("paused").asBoolean()).isTrue();
        assertThat(gateway.pausedAgents()).containsExactly("alpha");
        assertThatThrownBy(() -> call("alpha", "priced", null, null, "hi")).isInstanceOf(AgentPausedException.class);
        assertThat(call("beta", "priced", null, null, "hi").content()).isEqualTo("priced answer");
        assertThat(strings(http.get("/actuator/agentgateway").json().get("pausedAgents"))).containsExactly("alpha");

        assertThat(http.post("/actuator/agentgateway/alpha/resume").json().get("paused").asBoolean()).isFalse();
        assertThat(call("alpha", "priced", null, null, "hi").content()).isEqualTo("priced answer");
    }

    @Test
    void limitsAreUpdatedLive() {
        Http.Response updated = http.post("/actuator/agentgateway/limits",
                "{\"maxSteps\": 5, \"perAgentMaxSteps\": \"3\", \"maxTime\": \"10m\", \"perTenantMaxBudget\": 0.5}");

        assertThat(updated.status()).isEqualTo(200);
        JsonNode limits = updated.json().get("limits");
        assertThat(limits.get("maxSteps").asInt()).isEqualTo(5);
        assertThat(limits.get("maxTime").asString()).isEqualTo("PT10M");
        assertThat(limits.get("maxTimeSeconds").asDouble()).isEqualTo(600.0);
        assertThat(limits.get("perAgent").get("maxSteps").asInt()).isEqualTo(3);
        assertThat(limits.get("perTenant").get("maxBudget").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(limits.get("maxBudget").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(gateway.getLimits().maxSteps()).isEqualTo(5);
        assertThat(gateway.getLimits().perAgent().maxSteps()).isEqualTo(3);

        for (int i = 0; i < 3; i++) {
            call("alpha", "priced", null, null, "call " + i);
        }
        assertThatThrownBy(() -> call("alpha", "priced", null, null, "one too many"))
                .isInstanceOf(StepLimitExceededException.class);

        JsonNode removed = http.post("/actuator/agentgateway/limits", "{\"maxSteps\": \"none\", \"maxTime\": \"none\"}")
                .json().get("limits");
        assertThat(removed.get("maxSteps").isNull()).isTrue();
        assertThat(removed.get("maxTime").isNull()).isTrue();
        assertThat(removed.get("perAgent").get("maxSteps").asInt()).isEqualTo(3);
        assertThat(gateway.getLimits().maxSteps()).isNull();
    }

    @Test
    void oneAgentsLimitsAreUpdatedLive() {
        Http.Response updated = http.post("/actuator/agentgateway/alpha/limits", "{\"maxSteps\": 1}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("limits").get("maxSteps").asInt()).isEqualTo(1);
        assertThat(gateway.getLimits().limitsFor(LimitScope.agent("alpha")).maxSteps()).isEqualTo(1);
        call("alpha", "priced", null, null, "first");
        assertThatThrownBy(() -> call("alpha", "priced", null, null, "second")).isInstanceOf(StepLimitExceededException.class);
        assertThat(call("beta", "priced", null, null, "other agent").content()).isEqualTo("priced answer");
        JsonNode alpha = http.get("/actuator/agentgateway/alpha").json();
        assertThat(alpha.get("remaining").get("steps").asLong()).isZero();

        http.post("/actuator/agentgateway/alpha/limits", "{\"maxSteps\": \"none\"}");
        assertThat(gateway.getLimits().agents()).doesNotContainKey("alpha");
    }

    @Test
    void resetZeroesTheFigures() {
        call("alpha", "priced", null, null, "one");

        JsonNode metrics = http.post("/actuator/agentgateway/reset").json().get("metrics");

        assertThat(metrics.get("total_cost").decimalValue()).isEqualByComparingTo("0");
        assertThat(metrics.get("call_count").asLong()).isZero();
        assertThat(gateway.getCallHistory(null, null)).isEmpty();
    }

    @Test
    void badControlRequestsAreRejected() {
        assertThat(http.post("/actuator/agentgateway/explode").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/limits", "{\"maxSteps\": \"many\"}").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/limits", "{\"maxBudget\": \"-1\"}").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/limits").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/stop", "{\"maxSteps\": 3}").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/alpha/explode").status()).isEqualTo(400);
        assertThat(gateway.isStopped()).isFalse();
        assertThat(gateway.getLimits()).isEqualTo(configuredLimits);
    }

    @Test
    void callHistoryIsFilteredByTheFieldsItsFiltersAreNamedFor() {
        Instant before = Instant.now().minus(1, ChronoUnit.SECONDS);
        call("alpha", "priced", "acme", "wf-a", "one");
        call("alpha", "priced", "acme", "wf-a", "two");
        call("beta", "priced", null, null, "three");
        assertThatThrownBy(() -> call("gamma", "flaky", null, null, "four")).isInstanceOf(ProviderException.class);

        assertThat(calls("")).hasSize(4);
        assertThat(calls("?agentId=alpha")).extracting(c -> c.get("agentId").asString()).containsOnly("alpha").hasSize(2);
        assertThat(calls("?workflowId=wf-a")).hasSize(2);
        assertThat(calls("?tenant=acme")).hasSize(2);
        assertThat(calls("?success=true")).hasSize(3);
        List<JsonNode> failed = calls("?success=false");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("agentId").asString()).isEqualTo("gamma");
        assertThat(failed.get(0).get("success").asBoolean()).isFalse();
        assertThat(failed.get(0).get("errorType").asString()).isEqualTo("ProviderServerException");
        assertThat(failed.get(0).get("error").asString()).contains("Mock provider failure");
        List<JsonNode> newest = calls("?limit=1");
        assertThat(newest).hasSize(1);
        assertThat(newest.get(0).get("agentId").asString()).isEqualTo("gamma");
        assertThat(calls("?since=" + Instant.now().plus(1, ChronoUnit.HOURS))).isEmpty();
        assertThat(calls("?since=" + before)).hasSize(4);
        assertThat(calls("?since=1h")).hasSize(4);
        assertThat(calls("?agentId=alpha&success=true&limit=1")).hasSize(1);

        JsonNode summary = calls("?agentId=beta").get(0);
        assertThat(summary.get("provider").asString()).isEqualTo("priced");
        assertThat(summary.get("model").asString()).isEqualTo("test-model");
        assertThat(summary.get("cost").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(summary.get("inputTokens").asLong()).isEqualTo(100);
        assertThat(summary.get("outputTokens").asLong()).isEqualTo(50);
        assertThat(summary.has("request")).isFalse();

        assertThat(http.get("/actuator/agentcalls?since=yesterday-ish").status()).isEqualTo(400);
        assertThat(http.get("/actuator/agentcalls?limit=-1").status()).isEqualTo(400);
        assertThat(http.get("/actuator/agentcalls").json().get("redacted").asBoolean()).isFalse();
    }

    @Test
    void anUnknownFilterIsABadRequestNotAnUnfilteredAnswer() {
        call("alpha", "priced", "acme", "wf-a", "one");
        call("beta", "priced", null, null, "two");

        assertThat(http.get("/actuator/agentcalls?agent=alpha").status()).isEqualTo(400);
        assertThat(http.get("/actuator/agentcalls?agentId=alpha&workflow=wf-a").status()).isEqualTo(400);
        assertThat(http.get("/actuator/agentcheckpoints?workflowId=wf-a").status()).isEqualTo(400);
        assertThat(http.get("/actuator/agentgateway?agentId=alpha").status()).isEqualTo(400);
        assertThat(http.get("/actuator/agentgateway/alpha?verbose=true").status()).isEqualTo(400);
        assertThat(http.get("/actuator/agentcalls?agentId=alpha").status()).isEqualTo(200);
    }

    @Test
    void aKeyAWriteOperationDoesNotTakeIsABadRequest() {
        assertThat(http.post("/actuator/agentgateway/limits", "{\"maxSteps\": 3, \"maxStep\": 4}").status()).isEqualTo(400);
        assertThat(gateway.getLimits()).isEqualTo(configuredLimits);
    }

    @Test
    void aCircuitShowsNoFailureRateUntilItHasEnoughCallsToMeasureOne() {
        String provider = "young-" + System.nanoTime();
        gateway.registerProvider(provider, MockLlmClient.builder().defaultResponse("fine").build());
        call("alpha", provider, null, null, "one");

        JsonNode circuit = http.get("/actuator/agentgateway").json().get("circuitBreakers").get(provider);

        assertThat(circuit.get("state").asString()).isEqualTo("CLOSED");
        assertThat(circuit.get("bufferedCalls").asInt()).isEqualTo(1);
        assertThat(circuit.has("failureRate")).as("Resilience4j's -1 'not yet measured' is not sent").isFalse();
    }

    @Test
    void aCircuitWithEnoughCallsShowsItsFailureRate() {
        String provider = "failing-" + System.nanoTime();
        gateway.registerProvider(provider, MockLlmClient.builder().failureRate(1.0).build());
        for (int i = 0; i < 5; i++) {   // the circuit breaker's minimum-number-of-calls
            assertThatThrownBy(() -> call("alpha", provider, null, null, "one")).isInstanceOf(ProviderException.class);
        }

        JsonNode circuit = http.get("/actuator/agentgateway").json().get("circuitBreakers").get(provider);

        assertThat(circuit.get("failureRate").asDouble()).isEqualTo(100.0);
    }

    @Test
    void oneCallIsShownWithItsRequestAndResponse() {
        call("alpha", "priced", "acme", "wf-1", "What is the answer?");
        String callId = calls("?agentId=alpha").get(0).get("callId").asString();

        Http.Response response = http.get("/actuator/agentcalls/" + callId);

        assertThat(response.status()).isEqualTo(200);
        JsonNode call = response.json();
        assertThat(call.get("callId").asString()).isEqualTo(callId);
        assertThat(call.get("tenant").asString()).isEqualTo("acme");
        JsonNode request = call.get("request");
        assertThat(request.get("model").asString()).isEqualTo("test-model");
        assertThat(request.get("messages").get(0).get("role").asString()).isEqualTo("user");
        assertThat(request.get("messages").get(0).get("content").asString()).isEqualTo("What is the answer?");
        JsonNode answer = call.get("response");
        assertThat(answer.get("content").asString()).isEqualTo("priced answer");
        assertThat(answer.get("inputTokens").asLong()).isEqualTo(100);
        assertThat(answer.get("finishReason").asString()).isEqualTo("stop");
        assertThat(http.get("/actuator/agentcalls/no-such-call").status()).isEqualTo(404);
    }

    @Test
    void aToolRunShowsItsToolCallsCheckpointsAndResumePoint() {
        LlmResponse answer = gateway.callWithTools(GatewayCall.builder().agentId("researcher").provider("scripted")
                        .model("script-1").workflowId("wf-tools").user("look it up").tool(ToolSpec.of("lookup", "Looks up",
                                Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string"))))).build(),
                (tool, arguments) -> "result for " + arguments.get("q"));
        assertThat(answer.content()).isEqualTo("Found: result for confidential plans");

        JsonNode history = http.get("/actuator/agentcalls?workflowId=wf-tools").json();
        assertThat(history.get("calls")).hasSize(2);
        JsonNode toolCall = history.get("toolCalls").get(0);
        assertThat(toolCall.get("toolName").asString()).isEqualTo("lookup");
        assertThat(toolCall.get("outcome").asString()).isEqualTo("success");
        assertThat(toolCall.get("arguments").asString()).isEqualTo("{\"q\":\"confidential plans\"}");
        assertThat(toolCall.get("result").asString()).isEqualTo("result for confidential plans");
        JsonNode first = http.get("/actuator/agentcalls/" + history.get("calls").get(0).get("callId").asString()).json();
        assertThat(first.get("response").get("toolCalls").get(0).get("name").asString()).isEqualTo("lookup");
        assertThat(first.get("toolResults").get(0).get("result").asString()).isEqualTo("result for confidential plans");

        JsonNode workflows = http.get("/actuator/agentcheckpoints").json();
        assertThat(workflows.get("checkpointEnabled").asBoolean()).isTrue();
        JsonNode run = workflows.get("workflows").get("wf-tools");
        assertThat(run.get("checkpoints").asInt()).isPositive();
        assertThat(run.get("resumePoint").get("finished").asBoolean()).isTrue();
        assertThat(run.get("resumePoint").get("resumable").asBoolean()).isFalse();

        JsonNode workflow = http.get("/actuator/agentcheckpoints/wf-tools").json();
        assertThat(workflow.get("workflowId").asString()).isEqualTo("wf-tools");
        int lastStep = workflow.get("resumePoint").get("step").asInt();
        assertThat(lastStep).isEqualTo(2);
        assertThat(workflow.get("resumePoint").get("iteration").asInt()).isEqualTo(2);
        List<Integer> steps = new ArrayList<>();
        workflow.get("checkpoints").forEach(checkpoint -> steps.add(checkpoint.get("step").asInt()));
        assertThat(steps).containsExactly(1, 2);

        JsonNode last = http.get("/actuator/agentcheckpoints/wf-tools/" + lastStep).json();
        assertThat(last.get("finished").asBoolean()).isTrue();
        assertThat(last.get("agentId").asString()).isEqualTo("researcher");
        List<String> contents = new ArrayList<>();
        last.get("messages").forEach(message -> contents.add(message.get("content").isNull() ? null
                : message.get("content").asString()));
        assertThat(contents).contains("look it up", "result for confidential plans", "Found: result for confidential plans");
        assertThat(last.get("metrics").get("total_steps").asLong()).isEqualTo(2);
        assertThat(last.get("run").get("tools").get(0).asString()).isEqualTo("lookup");

        assertThat(http.get("/actuator/agentcheckpoints/no-such-run").status()).isEqualTo(404);
        assertThat(http.get("/actuator/agentcheckpoints/wf-tools/99").status()).isEqualTo(404);
    }

    @Test
    void limitWarningsArePublishedAsApplicationEventsAndRefusalsAreCounted() {
        double refusalsBefore = measurement("/actuator/metrics/agent_gateway.limit.refusals?tag=kind:steps", "COUNT");

        call("alpha", "priced", "small", null, "one");
        call("alpha", "priced", "small", null, "two");
        assertThatThrownBy(() -> call("alpha", "priced", "small", null, "three")).isInstanceOf(StepLimitExceededException.class);

        assertThat(warnings.events).extracting(LimitWarningEvent::getWarning)
                .anySatisfy(warning -> {
                    assertThat(warning.kind()).isEqualTo(LimitKind.STEPS);
                    assertThat(warning.scope()).isEqualTo(LimitScope.tenant("small"));
                });
        assertThat(measurement("/actuator/metrics/agent_gateway.limit.refusals?tag=kind:steps", "COUNT"))
                .isEqualTo(refusalsBefore + 1);
    }

    @Test
    void metersFollowTheGenAiConventions() {
        double before = measurement("/actuator/metrics/gen_ai.client.token.usage?tag=gen_ai.token.type:input"
                + "&tag=gen_ai.agent.name:meter-agent", "TOTAL");
        call("meter-agent", "priced", null, null, "one");
        call("meter-agent", "priced", null, null, "two");

        assertThat(measurement("/actuator/metrics/gen_ai.client.token.usage?tag=gen_ai.token.type:input"
                + "&tag=gen_ai.agent.name:meter-agent", "TOTAL")).isEqualTo(before + 200);
        JsonNode duration = http.get("/actuator/metrics/gen_ai.client.operation.duration").json();
        List<String> tagKeys = new ArrayList<>();
        duration.get("availableTags").forEach(tag -> tagKeys.add(tag.get("tag").asString()));
        assertThat(tagKeys).contains("gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model",
                "gen_ai.agent.name", "error.type");
        assertThat(measurement("/actuator/metrics/agent_gateway.cost?tag=gen_ai.agent.name:meter-agent", "COUNT"))
                .isEqualTo(0.02, within(1e-9));
        assertThat(measurement("/actuator/metrics/agent_gateway.budget.remaining", "VALUE"))
                .isEqualTo(0.98, within(1e-9));
        assertThat(measurement("/actuator/metrics/agent_gateway.history.queue.depth?tag=store:historyQueue", "VALUE"))
                .isEqualTo(3);
        assertThat(http.get("/actuator/metrics/agent_gateway.call").status())
                .as("the timer Boot derives from the provider-attempt observation").isEqualTo(200);
    }

    private double measurement(String path, String statistic) {
        Http.Response response = http.get(path);
        if (response.status() == 404) {
            return 0;
        }
        for (JsonNode measurement : response.json().get("measurements")) {
            if (measurement.get("statistic").asString().equals(statistic)) {
                return measurement.get("value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + response.body());
    }

    private List<JsonNode> calls(String query) {
        Http.Response response = http.get("/actuator/agentcalls" + query);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<JsonNode> calls = new ArrayList<>();
        response.json().get("calls").forEach(calls::add);
        return calls;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
