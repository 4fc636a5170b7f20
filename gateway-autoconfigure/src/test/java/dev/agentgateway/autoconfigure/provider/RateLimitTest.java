package dev.agentgateway.autoconfigure.provider;

import dev.agentgateway.autoconfigure.provider.resilience.ResilienceSettingsMapper;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.provider.resilience.AgentRateLimitHook;
import dev.agentgateway.spring.provider.resilience.RateLimitExceededException;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.spring.provider.resilience.ResilientCallStrategy;
import dev.agentgateway.spring.provider.resilience.ToolRateLimiter;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.tools.ToolExecutor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Calls per window for agents (a before-call hook) and for tools (a tool executor decorator). */
class RateLimitTest {

    private static AgentGatewayProperties.RateLimit perHour(int calls) {
        AgentGatewayProperties.RateLimit limit = new AgentGatewayProperties.RateLimit();
        limit.setLimitForPeriod(calls);
        limit.setRefreshPeriod(Duration.ofHours(1));
        return limit;
    }

    @Test
    void anAgentOverItsRateLimitIsRefusedAndNothingStaysReserved() {
        AgentGatewayProperties properties = new AgentGatewayProperties();
        AgentGatewayProperties.AgentSettings chatty = new AgentGatewayProperties.AgentSettings();
        chatty.setRateLimit(perHour(2));
        properties.setAgents(Map.of("chatty", chatty));
        MockLlmClient mock = MockLlmClient.answering("hi");
        Gateway gateway = Gateway.builder().provider("mock", mock).onBeforeCall(new AgentRateLimitHook(ResilienceSettingsMapper.agentRateLimits(properties)))
                .callStrategy(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(new ResilienceProperties()))).build();

        gateway.call("chatty", "mock", "m", "one");
        gateway.call("chatty", "mock", "m", "two");
        assertThatThrownBy(() -> gateway.call("chatty", "mock", "m", "three"))
                .isInstanceOf(RateLimitExceededException.class)
                .hasMessageContaining("chatty").hasMessageContaining("2");
        gateway.call("quiet", "mock", "m", "not limited");

        assertThat(mock.requestCount()).as("the refused call never reached the provider").isEqualTo(3);
        assertThat(gateway.usage(LimitScope.agent("chatty")).reservedSteps()).isZero();
        List<CallRecord> history = gateway.getCallHistory("chatty", null);
        assertThat(history).hasSize(3);
        assertThat(history.get(2).success()).isFalse();
        assertThat(history.get(2).errorType()).isEqualTo("RateLimitExceededException");
        gateway.close();
    }

    @Test
    void aToolOverItsRateLimitBecomesAnErrorResultForTheModel() {
        AgentGatewayProperties properties = new AgentGatewayProperties();
        AgentGatewayProperties.ToolSettings search = new AgentGatewayProperties.ToolSettings();
        search.setRateLimit(perHour(1));
        properties.setTools(Map.of("search", search));
        ToolRateLimiter limiter = new ToolRateLimiter(ResilienceSettingsMapper.toolRateLimits(properties));
        AtomicInteger searches = new AtomicInteger();
        ToolExecutor tools = limiter.decorate((name, arguments) -> name + " #" + searches.incrementAndGet());
        ScriptedLlmClient model = ScriptedLlmClient.sequence(
                ScriptedTurn.toolCall("search", "{\"q\":\"a\"}"),
                ScriptedTurn.toolCall("search", "{\"q\":\"b\"}"),
                ScriptedTurn.text("done"));
        Gateway gateway = Gateway.builder().provider("scripted", model).build();

        LlmResponse answer = gateway.callWithTools(GatewayCall.builder().agentId("researcher").provider("scripted")
                .user("find things").tool(dev.agentgateway.core.provider.ToolSpec.of("search", "Search")).build(), tools);

        assertThat(answer.content()).isEqualTo("done");
        assertThat(searches.get()).isEqualTo(1);
        var lastRequest = model.requests().get(2);
        assertThat(lastRequest.lastMessage().content()).contains("rate limit");
        assertThatThrownBy(() -> limiter.acquire("search")).isInstanceOf(RateLimitExceededException.class)
                .satisfies(failure -> assertThat(((RateLimitExceededException) failure).subject())
                        .isEqualTo(RateLimitExceededException.Subject.TOOL));
        limiter.acquire("unlimited-tool");
        gateway.close();
    }

    @Test
    void rateLimitsBindFromProperties() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, ResilienceAutoConfiguration.class))
                // a fallback must name a provider the gateway has (start-up checks it)
                .withBean("anthropic", dev.agentgateway.core.provider.LlmClient.class,
                        dev.agentgateway.core.provider.MockLlmClient::create)
                .withPropertyValues(
                        "agent-gateway.agents.chatty.rate-limit.limit-for-period=1",
                        "agent-gateway.agents.chatty.rate-limit.refresh-period=1h",
                        "agent-gateway.agents.chatty.fallbacks[0].provider=mock",
                        "agent-gateway.agents.chatty.fallbacks[0].model=fallback-model",
                        "agent-gateway.tools.search.rate-limit.limit-for-period=3",
                        "agent-gateway.resilience.fallbacks[0].provider=anthropic",
                        "agent-gateway.resilience.fallbacks[0].model=claude-sonnet-4-5",
                        "agent-gateway.resilience.retry.max-attempts=4",
                        "agent-gateway.resilience.retry.initial-backoff=250ms",
                        "agent-gateway.resilience.call-timeout=20s",
                        "agent-gateway.resilience.circuit-breaker.wait-duration-in-open-state=1m")
                .run(context -> {
                    ResilienceProperties properties = context.getBean(ResilienceProperties.class);
                    assertThat(properties.getRetry().getMaxAttempts()).isEqualTo(4);
                    assertThat(properties.getRetry().getInitialBackoff()).isEqualTo(Duration.ofMillis(250));
                    assertThat(properties.getCallTimeout()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(properties.getCircuitBreaker().getWaitDurationInOpenState()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(properties.getFallbacks()).containsExactly(new AgentGatewayProperties.Target("anthropic", "claude-sonnet-4-5"));
                    AgentGatewayProperties gatewayProperties = context.getBean(AgentGatewayProperties.class);
                    assertThat(gatewayProperties.getAgents().get("chatty").getFallbacks()).containsExactly(new AgentGatewayProperties.Target("mock", "fallback-model"));
                    assertThat(gatewayProperties.getTools().get("search").getRateLimit().getLimitForPeriod()).isEqualTo(3);

                    Gateway gateway = context.getBean(Gateway.class);
                    gateway.call("chatty", "mock", "m", "one");
                    assertThatThrownBy(() -> gateway.call("chatty", "mock", "m", "two"))
                            .isInstanceOf(RateLimitExceededException.class);
                });
    }
}
