package dev.agentgateway.core;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmProvider;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.state.SharedState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call through the gateway: the seed's {@code call(...)} arguments as an immutable value.
 *
 * @param agentId    who calls; may be left out when a {@link GatewayContext} names the agent
 * @param provider   the id of a registered provider ({@code "openai"}, {@code "mock"}, …)
 * @param model      the model; {@code null} lets the client choose its default
 * @param state      a {@link SharedState} or a {@code Map}: checked for "no state change" loops and
 *                   snapshotted into checkpoints
 * @param workflowId the run this call belongs to: scopes limits, loop detection and checkpoints
 * @param step       the step number for checkpoints; {@code null} numbers calls of a run 1, 2, 3…
 * @param tenant     whose budget pays for the call, or {@code null}
 */
public record GatewayCall(String agentId, String provider, String model, List<LlmMessage> messages, List<ToolSpec> tools,
                          Double temperature, Integer maxTokens, Object state, String workflowId, Integer step,
                          String tenant) {

    public GatewayCall {
        Objects.requireNonNull(provider, "provider");
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a call needs at least one message");
        }
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (state != null && !(state instanceof SharedState) && !(state instanceof Map)) {
            throw new IllegalArgumentException("state must be a SharedState or a Map, was " + state.getClass().getName());
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The same call with another conversation: what each iteration of a tool loop sends. */
    public GatewayCall withMessages(List<LlmMessage> newMessages) {
        return new GatewayCall(agentId, provider, model, newMessages, tools, temperature, maxTokens, state, workflowId, step, tenant);
    }

    public GatewayCall withStep(Integer newStep) {
        return new GatewayCall(agentId, provider, model, messages, tools, temperature, maxTokens, state, workflowId, newStep, tenant);
    }

    LlmRequest toRequest() {
        return new LlmRequest(provider, model, messages, tools, temperature, maxTokens);
    }

    public static final class Builder {
        private String agentId;
        private String provider;
        private String model;
        private final List<LlmMessage> messages = new ArrayList<>();
        private final List<ToolSpec> tools = new ArrayList<>();
        private Double temperature;
        private Integer maxTokens;
        private Object state;
        private String workflowId;
        private Integer step;
        private String tenant;

        private Builder() {
        }

        private Builder(GatewayCall call) {
            agentId = call.agentId;
            provider = call.provider;
            model = call.model;
            messages.addAll(call.messages);
            tools.addAll(call.tools);
            temperature = call.temperature;
            maxTokens = call.maxTokens;
            state = call.state;
            workflowId = call.workflowId;
            step = call.step;
            tenant = call.tenant;
        }

        public Builder agentId(String agentId) {
            this.agentId = agentId;
            return this;
        }

        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        public Builder provider(LlmProvider provider) {
            this.provider = provider.id();
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder messages(List<LlmMessage> messages) {
            this.messages.clear();
            this.messages.addAll(messages);
            return this;
        }

        public Builder message(LlmMessage message) {
            this.messages.add(message);
            return this;
        }

        public Builder system(String content) {
            return message(LlmMessage.system(content));
        }

        public Builder user(String content) {
            return message(LlmMessage.user(content));
        }

        public Builder tools(List<ToolSpec> tools) {
            this.tools.clear();
            this.tools.addAll(tools);
            return this;
        }

        public Builder tool(ToolSpec tool) {
            this.tools.add(tool);
            return this;
        }

        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder state(SharedState state) {
            this.state = state;
            return this;
        }

        public Builder state(Map<String, ?> state) {
            this.state = state;
            return this;
        }

        public Builder workflowId(String workflowId) {
            this.workflowId = workflowId;
            return this;
        }

        public Builder step(Integer step) {
            this.step = step;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public GatewayCall build() {
            return new GatewayCall(agentId, provider, model, messages, tools, temperature, maxTokens, state, workflowId, step,
                    tenant);
        }
    }
}
