package dev.agentgateway.autoconfigure.provider;

import dev.agentgateway.spring.provider.ProviderTestSupport;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.spring.provider.resilience.AgentRateLimitHook;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import dev.agentgateway.spring.provider.resilience.ResilientCallStrategy;
import dev.agentgateway.spring.provider.resilience.ToolRateLimiter;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderAutoConfigurationTest {

    private static WireMockServer wireMock;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, ProviderClientsAutoConfiguration.class,
                    ResilienceAutoConfiguration.class));

    @BeforeAll
    static void start() {
        wireMock = ProviderTestSupport.startWireMock();
        wireMock.stubFor(any(urlPathMatching(".*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ProviderTestSupport.fixture("openai/plain.json"))));
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    @Test
    void registersAFactoryPerProviderModuleAndTheResilientStrategy() {
        runner.run(context -> {
            assertThat(context.getBeansOfType(LlmClientFactory.class).values()).extracting(LlmClientFactory::providerId)
                    .contains("openai", "grok", "openai-compatible", "anthropic", "gemini", "ollama");
            assertThat(context.getBean(CallStrategy.class)).isInstanceOf(ResilientCallStrategy.class);
            assertThat(context).hasSingleBean(AgentRateLimitHook.class).hasSingleBean(ToolRateLimiter.class);
        });
    }

    @Test
    void configuresProvidersFromProperties() {
        runner.withPropertyValues(
                "agent-gateway.providers.openai.api-key=" + ProviderTestSupport.API_KEY,
                "agent-gateway.providers.openai.base-url=http://127.0.0.1:" + wireMock.port() + "/v1",
                "agent-gateway.providers.openai.model=gpt-4o-mini",
                "agent-gateway.providers.local.type=openai-compatible",
                "agent-gateway.providers.local.base-url=http://127.0.0.1:" + wireMock.port() + "/v1",
                "agent-gateway.providers.anthropic.api-key=sk-ant-test-0123456789",
                "agent-gateway.providers.gemini.api-key=g-test-0123456789",
                "agent-gateway.providers.ollama.base-url=http://127.0.0.1:1")
                .run(context -> {
                    Gateway gateway = context.getBean(Gateway.class);
                    assertThat(gateway.providerIds()).contains("openai", "local", "anthropic", "gemini", "ollama");
                    LlmResponse response = gateway.call("agent", "openai", null, "Hello?");
                    assertThat(response.content()).isEqualTo("Hello! How can I assist you today?");
                    assertThat(response.model()).isEqualTo("gpt-4.1-2025-04-14");
                    assertThat(response.cost()).as("priced from the gateway's table").isPositive();
                    assertThat(gateway.call("agent", "local", "qwen", "Hello?").provider()).isEqualTo("local");
                });
    }

    @Test
    void missingModuleFailsWithAProviderNotFoundExceptionNamingIt() {
        runner.withClassLoader(new FilteredClassLoader(OpenAiChatModel.class))
                .run(context -> {
                    assertThat(context.getBeansOfType(LlmClientFactory.class).values()).extracting(LlmClientFactory::providerId)
                            .doesNotContain("openai", "grok").contains("anthropic");
                    Gateway gateway = context.getBean(Gateway.class);
                    assertThatThrownBy(() -> gateway.configureProvider("openai", "sk-x"))
                            .isInstanceOf(ProviderNotFoundException.class).hasMessageContaining("spring-ai-openai");
                    assertThatThrownBy(() -> gateway.configureProvider("grok", "xai-x"))
                            .isInstanceOf(ProviderNotFoundException.class).hasMessageContaining("spring-ai-openai");
                    assertThatThrownBy(() -> gateway.configureProvider("vllm", null,
                            java.util.Map.of("type", "openai-compatible", "base-url", "http://localhost:8000/v1")))
                            .isInstanceOf(ProviderNotFoundException.class).hasMessageContaining("spring-ai-openai");
                });
        runner.withClassLoader(new FilteredClassLoader(OpenAiChatModel.class))
                .withPropertyValues("agent-gateway.providers.openai.api-key=sk-x")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(ProviderNotFoundException.class).hasMessageContaining("spring-ai-openai"));
    }

    @Test
    void everyChatModelBeanIsAProviderUnderItsBeanName() {
        runner.withUserConfiguration(ChatModels.class).run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            assertThat(gateway.providerIds()).contains("companyModel");

            LlmResponse response = gateway.call(dev.agentgateway.core.GatewayCall.builder().agentId("agent")
                    .provider("companyModel").model("house-model-1").system("Be brief.").user("Hi there")
                    .tool(ProviderTestSupport.weatherTool()).temperature(0.3).maxTokens(50).build());

            assertThat(response.content()).isEqualTo("echo: Hi there");
            assertThat(response.inputTokens()).isEqualTo(7);
            assertThat(response.outputTokens()).isEqualTo(3);
            assertThat(response.model()).isEqualTo("house-model-1-2025");
            Prompt prompt = context.getBean(ChatModels.class).lastPrompt.get();
            assertThat(prompt.getInstructions()).hasSize(2);
            assertThat(prompt.getOptions().getModel()).isEqualTo("house-model-1");
            assertThat(prompt.getOptions().getTemperature()).isEqualTo(0.3);
            assertThat(prompt.getOptions().getMaxTokens()).isEqualTo(50);
            assertThat(((org.springframework.ai.model.tool.ToolCallingChatOptions) prompt.getOptions()).getToolCallbacks())
                    .extracting(callback -> callback.getToolDefinition().name()).containsExactly("get_current_weather");
        });
    }

    @Test
    void resilienceCanBeSwitchedOff() {
        runner.withPropertyValues("agent-gateway.resilience.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(CallStrategy.class);
            assertThat(context).hasSingleBean(Gateway.class);
        });
    }

    @Test
    void theApplicationsOwnCallStrategyWins() {
        runner.withBean("myStrategy", CallStrategy.class, CallStrategy::direct).run(context ->
                assertThat(context.getBean(CallStrategy.class)).isNotInstanceOf(ResilientCallStrategy.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class ChatModels {

        final AtomicReference<Prompt> lastPrompt = new AtomicReference<>();

        @Bean
        ChatModel companyModel() {
            return prompt -> {
                lastPrompt.set(prompt);
                String user = prompt.getInstructions().get(prompt.getInstructions().size() - 1).getText();
                return new ChatResponse(List.of(new Generation(new AssistantMessage("echo: " + user))),
                        ChatResponseMetadata.builder().model(prompt.getOptions().getModel() + "-2025")
                                .usage(new DefaultUsage(7, 3)).build());
            };
        }
    }
}
