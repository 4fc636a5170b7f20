package dev.agentgateway.autoconfigure.provider;

import dev.agentgateway.spring.provider.ChatModelProviderRegistrar;
import dev.agentgateway.spring.provider.MissingModuleClientFactory;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.spring.provider.anthropic.AnthropicLlmClientFactory;
import dev.agentgateway.spring.provider.gemini.GeminiLlmClientFactory;
import dev.agentgateway.spring.provider.ollama.OllamaLlmClientFactory;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.core.provider.LlmClientFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Real LLM providers through Spring AI: a client factory for each provider whose Spring AI module
 * is on the class path (so that {@code agent-gateway.providers.<id>} and
 * {@code Gateway.configureProvider} work for it), and every {@code ChatModel} bean registered as a
 * provider under its bean name. Without a module, configuring its provider fails with a
 * {@link dev.agentgateway.core.provider.ProviderNotFoundException} naming the module (the core names it
 * for the providers it knows; a stand-in factory does for {@code openai-compatible}).
 */
@AutoConfiguration(before = GatewayAutoConfiguration.class)
@ConditionalOnProperty(prefix = "agent-gateway", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ResilienceProperties.class)
public final class ProviderClientsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.ai.chat.model.ChatModel")
    static class ChatModelBeans {

        @Bean
        @ConditionalOnMissingBean(name = "gatewayChatModelProviderRegistrar")
        public ChatModelProviderRegistrar gatewayChatModelProviderRegistrar(ListableBeanFactory beanFactory,
                                                                            ResilienceProperties resilience) {
            return new ChatModelProviderRegistrar(beanFactory, resilience::getCallTimeout);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.ai.openai.OpenAiChatModel")
    static class WithoutOpenAiModule {

        @Bean
        @ConditionalOnMissingBean(name = "openAiCompatibleLlmClientFactory")
        public LlmClientFactory openAiCompatibleLlmClientFactory() {
            return new MissingModuleClientFactory("openai-compatible", "spring-ai-openai");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.ai.chat.model.ChatModel", "org.springframework.ai.openai.OpenAiChatModel"})
    static class OpenAiClients {

        @Bean
        @ConditionalOnMissingBean(name = "openAiLlmClientFactory")
        public LlmClientFactory openAiLlmClientFactory(ResilienceProperties resilience) {
            return new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, resilience::getCallTimeout);
        }

        @Bean
        @ConditionalOnMissingBean(name = "grokLlmClientFactory")
        public LlmClientFactory grokLlmClientFactory(ResilienceProperties resilience) {
            return new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.GROK, resilience::getCallTimeout);
        }

        @Bean
        @ConditionalOnMissingBean(name = "openAiCompatibleLlmClientFactory")
        public LlmClientFactory openAiCompatibleLlmClientFactory(ResilienceProperties resilience) {
            return new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI_COMPATIBLE, resilience::getCallTimeout);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.ai.chat.model.ChatModel", "org.springframework.ai.anthropic.AnthropicChatModel"})
    static class AnthropicClients {

        @Bean
        @ConditionalOnMissingBean(name = "anthropicLlmClientFactory")
        public LlmClientFactory anthropicLlmClientFactory(ResilienceProperties resilience) {
            return new AnthropicLlmClientFactory(resilience::getCallTimeout);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.ai.chat.model.ChatModel",
            "org.springframework.ai.google.genai.GoogleGenAiChatModel"})
    static class GeminiClients {

        @Bean
        @ConditionalOnMissingBean(name = "geminiLlmClientFactory")
        public LlmClientFactory geminiLlmClientFactory(ResilienceProperties resilience) {
            return new GeminiLlmClientFactory(resilience::getCallTimeout);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.ai.chat.model.ChatModel", "org.springframework.ai.ollama.OllamaChatModel",
            "org.springframework.web.client.RestClient"})
    static class OllamaClients {

        @Bean
        @ConditionalOnMissingBean(name = "ollamaLlmClientFactory")
        public LlmClientFactory ollamaLlmClientFactory(ResilienceProperties resilience) {
            return new OllamaLlmClientFactory(resilience::getCallTimeout);
        }
    }
}
