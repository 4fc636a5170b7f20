package dev.agentgateway.spring.provider;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.provider.resilience.ResilienceSettings;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceSettingsMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.agentgateway.spring.provider.anthropic.AnthropicLlmClientFactory;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.spring.provider.resilience.ProviderCircuitOpenException;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.spring.provider.resilience.ResilientCallStrategy;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.agentgateway.spring.provider.ProviderTestSupport.API_KEY;
import static dev.agentgateway.spring.provider.ProviderTestSupport.fixture;
import static dev.agentgateway.spring.provider.ProviderTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The resilient call strategy with real adapters against WireMock: retries that wait for
 * Retry-After, a circuit that opens, fallbacks, and time-outs that give the reservation back.
 * Every attempt is a governed gateway attempt, visible in the history with its number.
 */
class ResilienceFaultTest {

    private static final String OPENAI_PATH = "/v1/chat/completions";
    private static final String ANTHROPIC_PATH = "/v1/messages";

    private static WireMockServer wireMock;
    private Gateway gateway;

    @BeforeAll
    static void startAndWarmUp() {
        wireMock = ProviderTestSupport.startWireMock();
        // the first call of an SDK loads and initialises a lot of classes: keep that out of the timed tests
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(json(200, fixture("openai/plain.json"))));
        wireMock.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(json(200, fixture("anthropic/plain.json"))));
        openAi(Duration.ofSeconds(30)).complete(ProviderTestSupport.firstTurn("openai", "gpt-4o-mini"));
        anthropic().complete(ProviderTestSupport.firstTurn("anthropic", "claude-sonnet-4-5"));
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    @BeforeEach
    void reset() {
        wireMock.resetAll();
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String url() {
        return "http://127.0.0.1:" + wireMock.port();
    }

    private static LlmClient openAi(Duration timeout) {
        return new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null)
                .create(API_KEY, Map.of("base-url", url() + "/v1", "model", "gpt-4o-mini", "timeout", timeout));
    }

    private static LlmClient anthropic() {
        return new AnthropicLlmClientFactory(() -> null)
                .create(API_KEY, Map.of("base-url", url(), "model", "claude-sonnet-4-5", "timeout", Duration.ofSeconds(30)));
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static ResilienceProperties properties(int maxAttempts) {
        ResilienceProperties properties = new ResilienceProperties();
        properties.getRetry().setMaxAttempts(maxAttempts);
        properties.getRetry().setInitialBackoff(Duration.ofMillis(10));
        properties.getRetry().setMaxBackoff(Duration.ofMillis(50));
        return properties;
    }

    private Gateway gateway(ResilientCallStrategy strategy, Duration openAiTimeout) {
        gateway = Gateway.builder()
                .callStrategy(strategy)
                .limits(ExecutionLimits.builder().maxBudget("10.00").maxSteps(100).build())
                .provider("openai", openAi(openAiTimeout))
                .provider("anthropic", anthropic())
                .provider("backup", MockLlmClient.answering("from the backup"))
                .build();
        return gateway;
    }

    @Test
    void rateLimitedThenSuccessWaitsAtLeastRetryAfter() {
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(429, fixture("openai/error-429.json")).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(json(200, fixture("openai/plain.json"))));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties(3)));
        List<RetryOnRetryEvent> retries = new CopyOnWriteArrayList<>();
        strategy.retry("openai").getEventPublisher().onRetry(retries::add);

        LlmResponse response = gateway(strategy, Duration.ofSeconds(30)).call("agent", "openai", "gpt-4o-mini", "Hello?");

        assertThat(response.content()).isEqualTo("Hello! How can I assist you today?");
        List<ServeEvent> sent = requests(wireMock);
        assertThat(sent).hasSize(2);
        long gapMs = sent.get(1).getRequest().getLoggedDate().getTime() - sent.get(0).getRequest().getLoggedDate().getTime();
        assertThat(gapMs).as("second request waited for Retry-After").isGreaterThanOrEqualTo(1_000);
        assertThat(retries).hasSize(1);
        assertThat(retries.get(0).getWaitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(retries.get(0).getLastThrowable()).isInstanceOf(ProviderRateLimitedException.class);

        List<CallRecord> history = gateway.getCallHistory("agent", null);
        assertThat(history).extracting(CallRecord::attempt).containsExactly(1, 2);
        assertThat(history).extracting(CallRecord::success).containsExactly(false, true);
        assertThat(history.get(0).errorType()).isEqualTo("ProviderRateLimitedException");
        assertThat(history.get(0).provider()).isEqualTo("openai");
        assertThat(history.get(0).error()).doesNotContain(API_KEY);
        assertThat(gateway.usage(LimitScope.agent("agent")).reservedSteps()).isZero();
    }

    @Test
    void repeatedServerErrorsOpenTheCircuit() {
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(json(500, fixture("openai/error-500.json"))));
        ResilienceProperties properties = properties(2);
        properties.getCircuitBreaker().setSlidingWindowSize(4);
        properties.getCircuitBreaker().setMinimumNumberOfCalls(4);
        properties.getCircuitBreaker().setWaitDurationInOpenState(Duration.ofMinutes(5));
        ResilientCallStrategy strategy = new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties));
        gateway(strategy, Duration.ofSeconds(30));

        for (int call = 0; call < 2; call++) {
            assertThatThrownBy(() -> gateway.call("agent", "openai", "gpt-4o-mini", "Hello?"))
                    .isInstanceOf(ProviderServerException.class);
        }
        assertThat(strategy.circuitBreaker("openai").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(requests(wireMock)).hasSize(4);

        assertThatThrownBy(() -> gateway.call("agent", "openai", "gpt-4o-mini", "Hello?"))
                .isInstanceOf(ProviderCircuitOpenException.class)
                .hasMessageContaining("openai");
        assertThat(requests(wireMock)).as("an open circuit sends nothing").hasSize(4);
        assertThat(gateway.getCallHistory("agent", null)).hasSize(4).noneMatch(CallRecord::success);
        assertThat(strategy.circuitBreaker("anthropic").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void fallbackAnswersWhenThePrimaryFails() {
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(json(503, fixture("openai/error-500.json"))));
        wireMock.stubFor(post(urlEqualTo(ANTHROPIC_PATH)).willReturn(json(200, fixture("anthropic/plain.json"))));
        ResilienceProperties properties = properties(2);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("anthropic", "claude-sonnet-4-5"),
                new AgentGatewayProperties.Target("backup", "mock-1")));
        gateway(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties)), Duration.ofSeconds(30));

        LlmResponse response = gateway.call("agent", "openai", "gpt-4o-mini", "Hello?");

        assertThat(response.provider()).isEqualTo("anthropic");
        assertThat(response.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(response.content()).isEqualTo("Hello! How can I assist you today?");
        List<CallRecord> history = gateway.getCallHistory("agent", null);
        assertThat(history).extracting(CallRecord::attempt).containsExactly(1, 2, 3);
        assertThat(history).extracting(CallRecord::provider).containsExactly("openai", "openai", "anthropic");
        assertThat(history).extracting(CallRecord::errorType)
                .containsExactly("ProviderServerException", "ProviderServerException", null);
        assertThat(requests(wireMock)).extracting(event -> event.getRequest().getUrl())
                .containsExactly(OPENAI_PATH, OPENAI_PATH, ANTHROPIC_PATH);
        ScopeUsage usage = gateway.usage(LimitScope.agent("agent"));
        assertThat(usage.reservedSteps()).isZero();
        assertThat(usage.reservedCost()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(usage.committedSteps()).as("only the answered attempt is a step").isEqualTo(1);
    }

    @Test
    void agentFallbacksReplaceTheGlobalOnes() {
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(json(500, fixture("openai/error-500.json"))));
        ResilienceProperties properties = properties(1);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("anthropic", "claude-sonnet-4-5")));
        Map<String, List<ResilienceSettings.Target>> own = Map.of("special", List.of(new ResilienceSettings.Target("backup", "mock-1")));
        gateway(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties), agentId -> own.getOrDefault(agentId, List.of())), Duration.ofSeconds(30));

        LlmResponse response = gateway.call("special", "openai", "gpt-4o-mini", "Hello?");

        assertThat(response.provider()).isEqualTo("backup");
        assertThat(response.content()).isEqualTo("from the backup");
        assertThat(requests(wireMock)).extracting(event -> event.getRequest().getUrl()).containsExactly(OPENAI_PATH);
    }

    @Test
    void timeOutReleasesTheReservation() {
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(json(200, fixture("openai/plain.json")).withFixedDelay(3_000)));
        gateway(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties(1))), Duration.ofMillis(300));

        assertThatThrownBy(() -> gateway.call("agent", "openai", "gpt-4o-mini", "Hello?"))
                .isInstanceOf(ProviderTimeoutException.class);

        ScopeUsage agent = gateway.usage(LimitScope.agent("agent"));
        assertThat(agent.reservedSteps()).isZero();
        assertThat(agent.reservedCost()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(agent.committedSteps()).isZero();
        assertThat(gateway.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo(BigDecimal.ZERO);
        CallRecord record = gateway.getCallHistory("agent", null).get(0);
        assertThat(record.success()).isFalse();
        assertThat(record.errorType()).isEqualTo("ProviderTimeoutException");
        assertThat(record.attempt()).isEqualTo(1);
    }

    @Test
    void authenticationFailuresAreNotRetried() {
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH)).willReturn(json(401, fixture("openai/error-401.json"))));
        gateway(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties(3))), Duration.ofSeconds(30));

        assertThatThrownBy(() -> gateway.call("agent", "openai", "gpt-4o-mini", "Hello?"))
                .isInstanceOf(ProviderAuthenticationException.class)
                .satisfies(failure -> AdapterContractTest.assertNoKeyAnywhere(failure));
        assertThat(requests(wireMock)).hasSize(1);
        assertThat(gateway.getCallHistory("agent", null).get(0).error()).doesNotContain(API_KEY);
    }

    @Test
    void retryAfterLongerThanTheMaximumIsNotWaitedFor() {
        wireMock.stubFor(post(urlEqualTo(OPENAI_PATH))
                .willReturn(json(429, fixture("openai/error-429.json")).withHeader("Retry-After", "3600")));
        ResilienceProperties properties = properties(3);
        properties.getRetry().setMaxRetryAfter(Duration.ofSeconds(5));
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("backup", null)));
        gateway(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties)), Duration.ofSeconds(30));

        LlmResponse response = gateway.call("agent", "openai", "gpt-4o-mini", "Hello?");

        assertThat(response.provider()).isEqualTo("backup");
        assertThat(requests(wireMock)).hasSize(1);
    }
}
