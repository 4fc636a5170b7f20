package dev.agentgateway.spring.provider;

import dev.agentgateway.spring.GatewayBuilderCustomizer;
import dev.agentgateway.core.Gateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Registers every {@link ChatModel} bean of the application as a gateway provider under its bean
 * name, so an application that already configures Spring AI models calls them through the
 * gateway with {@code provider("<bean name>")}.
 */
public class ChatModelProviderRegistrar implements GatewayBuilderCustomizer {

    private static final Logger log = LoggerFactory.getLogger(ChatModelProviderRegistrar.class);

    private final ListableBeanFactory beanFactory;
    private final Supplier<Duration> callTimeout;

    /**
     * @param callTimeout the per-call time-out of these providers (supplies {@code null} for
     *                    {@link ProviderOptions#DEFAULT_TIMEOUT})
     */
    public ChatModelProviderRegistrar(ListableBeanFactory beanFactory, Supplier<Duration> callTimeout) {
        this.beanFactory = beanFactory;
        this.callTimeout = callTimeout == null ? () -> null : callTimeout;
    }

    @Override
    public void customize(Gateway.Builder builder) {
        Duration timeout = callTimeout.get() != null ? callTimeout.get() : ProviderOptions.DEFAULT_TIMEOUT;
        ProviderErrors errors = ProviderErrors.standard();
        for (String name : beanFactory.getBeanNamesForType(ChatModel.class, true, false)) {
            ChatModel model;
            try {
                model = beanFactory.getBean(name, ChatModel.class);
            } catch (BeansException unavailable) {
                // e.g. a ChatModel that itself calls the gateway: it cannot be one of the gateway's providers
                log.warn("ChatModel bean '{}' is not registered as an LLM provider: {}", name, unavailable.getMessage());
                continue;
            }
            builder.provider(name, new ChatModelLlmClient(model, errors, timeout, ChatOptionsCustomizer.PORTABLE));
            log.debug("Registered ChatModel bean '{}' ({}) as an LLM provider", name, model.getClass().getName());
        }
    }
}
