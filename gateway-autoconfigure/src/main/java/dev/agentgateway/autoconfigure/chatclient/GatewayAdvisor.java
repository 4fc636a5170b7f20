package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.core.Ordered;

import java.util.Objects;

/**
 * Puts a Spring AI {@code ChatClient} call under the gateway: the limits are checked and a step
 * and the estimated cost reserved before the model is called, the actual cost settled after, and
 * the call recorded in the history and metrics. Add it with
 * {@code ChatClient.builder(model).defaultAdvisors(gatewayAdvisor)}.
 *
 * <p>Calls count for {@code agentId}, or for the agent of the current
 * {@link dev.agentgateway.core.GatewayContext} when none is set.
 */
public final class GatewayAdvisor implements CallAdvisor {

    /** Provider id under which ChatClient calls are recorded unless told otherwise. */
    public static final String DEFAULT_PROVIDER_ID = "chat-client";

    private final Gateway gateway;
    private final String agentId;
    private final String providerId;
    private final String defaultModel;
    private final int order;

    private GatewayAdvisor(Builder builder) {
        this.gateway = builder.gateway;
        this.agentId = builder.agentId;
        this.providerId = builder.providerId;
        this.defaultModel = builder.defaultModel;
        this.order = builder.order;
    }

    public static Builder builder(Gateway gateway) {
        return new Builder(gateway);
    }

    @Override
    public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
        ChatOptions options = request.prompt().getOptions();
        GatewayCall call = GatewayCall.builder()
                .agentId(agentId)
                .provider(providerId)
                .model(options == null || options.getModel() == null ? defaultModel : options.getModel())
                .messages(SpringAiMessages.toGateway(request.prompt().getInstructions()))
                .build();
        ChatClientResponse[] answered = new ChatClientResponse[1];
        gateway.call(call, governed -> {
            answered[0] = chain.nextCall(request);
            return SpringAiMessages.toGateway(answered[0].chatResponse(), providerId);
        });
        return answered[0];
    }

    @Override
    public String getName() {
        return "AgentGatewayAdvisor";
    }

    @Override
    public int getOrder() {
        return order;
    }

    public static final class Builder {
        private final Gateway gateway;
        private String agentId;
        private String providerId = DEFAULT_PROVIDER_ID;
        private String defaultModel;
        private int order = Ordered.HIGHEST_PRECEDENCE + 1000;

        private Builder(Gateway gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
        }

        /** The agent the calls count for; without it, the agent of the current GatewayContext. */
        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        /** The provider id calls are recorded under (default "chat-client"). */
        public Builder providerId(String providerId) {
            this.providerId = Objects.requireNonNull(providerId, "providerId");
            return this;
        }

        /**
         * The model the ChatModel uses when a prompt names none: without it such a call cannot be
         * priced before it is made, so it would reserve nothing against the budget.
         */
        public Builder defaultModel(String defaultModel) {
            this.defaultModel = defaultModel;
            return this;
        }

        public Builder order(int order) {
            this.order = order;
            return this;
        }

        public GatewayAdvisor build() {
            return new GatewayAdvisor(this);
        }
    }
}
