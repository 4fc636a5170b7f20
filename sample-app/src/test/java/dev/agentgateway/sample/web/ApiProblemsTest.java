package dev.agentgateway.sample.web;

import dev.agentgateway.spring.provider.resilience.ProviderCircuitOpenException;
import dev.agentgateway.spring.provider.resilience.RateLimitExceededException;
import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.limits.TimeLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopPattern;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.tools.AccessOutcome;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.UnknownToolException;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Each refusal kind of the gateway has its own problem type, status and figures. */
class ApiProblemsTest {

    private static Supplier<RuntimeException> thrown;

    /** Throws whatever the test put in {@link #thrown}. */
    @RestController
    static class ThrowingController {
        @GetMapping("/run")
        String run() {
            throw thrown.get();
        }
    }

    private final MockMvcTester mvc = MockMvcTester.create(MockMvcBuilders.standaloneSetup(new ThrowingController())
            .setControllerAdvice(new ApiProblems()).build());

    @Test
    void budgetIsAConflictWithSpentEstimateAndLimit() {
        JsonNode problem = problem(() -> new BudgetExceededException(LimitScope.workflow("run-1"), "researcher",
                new BigDecimal("0.04"), new BigDecimal("0.02"), new BigDecimal("0.05")), 409, "budget-exceeded");
        assertThat(problem.get("scope").asString()).isEqualTo("workflow");
        assertThat(problem.get("scopeId").asString()).isEqualTo("run-1");
        assertThat(problem.get("spentUsd").decimalValue()).isEqualByComparingTo("0.04");
        assertThat(problem.get("estimateUsd").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(problem.get("limitUsd").decimalValue()).isEqualByComparingTo("0.05");
    }

    @Test
    void stepsAreAConflictWithStepsAndLimit() {
        JsonNode problem = problem(() -> new StepLimitExceededException(LimitScope.agent("writer"), "writer", 12, 12),
                409, "step-limit-exceeded");
        assertThat(problem.get("steps").asLong()).isEqualTo(12);
        assertThat(problem.get("limitSteps").asLong()).isEqualTo(12);
        assertThat(problem.get("scope").asString()).isEqualTo("agent");
    }

    @Test
    void timeIsAConflictWithSecondsAndAGlobalScopeWithoutId() {
        JsonNode problem = problem(() -> new TimeLimitExceededException("writer", 61.5, 60), 409, "time-limit-exceeded");
        assertThat(problem.get("elapsedSeconds").asDouble()).isEqualTo(61.5);
        assertThat(problem.get("limitSeconds").asDouble()).isEqualTo(60);
        assertThat(problem.get("scope").asString()).isEqualTo("global");
        assertThat(problem.has("scopeId")).isFalse();
    }

    @Test
    void aLoopIsUnprocessableContent() {
        JsonNode problem = problem(() -> new LoopDetectedException(LoopPattern.values()[0], List.of("a", "b"), "run-2", 4, "again"),
                422, "loop-detected");
        assertThat(problem.get("occurrences").asInt()).isEqualTo(4);
        assertThat(problem.get("agents")).hasSize(2);
    }

    @Test
    void aDeniedToolIsForbidden() {
        JsonNode problem = problem(() -> new ToolAccessDeniedException("intern", "delete_notes", AccessOutcome.DENIED_BY_RULE,
                "a rule denies it"), 403, "tool-denied");
        assertThat(problem.get("tool").asString()).isEqualTo("delete_notes");
    }

    @Test
    void aPausedAgentAndAStoppedGatewayAreUnavailable() {
        assertThat(problem(() -> new AgentPausedException("writer"), 503, "agent-paused").get("detail").asString())
                .doesNotContain("resumeAgent(");
        problem(() -> new GatewayStoppedException("writer"), 503, "gateway-stopped");
    }

    @Test
    void theGatewaysRateLimitIsTooManyRequestsWithRetryAfter() {
        thrown = () -> new RateLimitExceededException(RateLimitExceededException.Subject.AGENT, "writer", 30, Duration.ofMinutes(1));
        MvcTestResult result = mvc.get().uri("/run").exchange();
        assertThat(result).hasStatus(429).hasHeader("Retry-After", "60");
        assertThat(read(result).get("limitForPeriod").asInt()).isEqualTo(30);
    }

    @Test
    void providerFailuresAreGatewayStatuses() {
        problem(() -> new ProviderTimeoutException("openai", "timed out", null), 504, "provider-timeout");
        problem(() -> new ProviderCircuitOpenException("openai", "circuit open", null), 503, "provider-unavailable");
        problem(() -> new ProviderRateLimitedException("openai", "slow down", Duration.ofSeconds(7), null), 503,
                "provider-unavailable");
        assertThat(problem(() -> new ProviderServerException("openai", 500, "upstream failed", null), 502, "provider-failed")
                .get("provider").asString()).isEqualTo("openai");
    }

    @Test
    void anyOtherGatewayFailureIsAnInternalError() {
        problem(() -> new UnknownToolException("nope"), 500, "gateway-error");
    }

    @Test
    void anUnexpectedFailureHidesItsMessage() {
        thrown = () -> new IllegalStateException("secret internals");
        MvcTestResult result = mvc.get().uri("/run").exchange();
        assertThat(result).hasStatus(500);
        assertThat(body(result)).doesNotContain("secret internals", "IllegalStateException");
    }

    private JsonNode problem(Supplier<RuntimeException> exception, int status, String type) {
        thrown = exception;
        MvcTestResult result = mvc.get().uri("/run").exchange();
        assertThat(result).hasStatus(status).hasContentTypeCompatibleWith("application/problem+json");
        JsonNode problem = read(result);
        assertThat(problem.get("type").asString()).isEqualTo(ApiProblems.TYPE_BASE + type);
        assertThat(problem.get("title").asString()).isEqualTo(org.springframework.http.HttpStatus.valueOf(status).getReasonPhrase());
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(body(result)).doesNotContain("Exception");
        return problem;
    }

    private static JsonNode read(MvcTestResult result) {
        return JsonMapper.builder().build().readTree(body(result));
    }

    private static String body(MvcTestResult result) {
        try {
            return result.getResponse().getContentAsString();
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
