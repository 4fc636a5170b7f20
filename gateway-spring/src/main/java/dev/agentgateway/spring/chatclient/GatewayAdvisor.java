package dev.agentgateway.spring.chatclient;

import dev.agentgateway.spring.provider.ChatResponseChunks;
import dev.agentgateway.spring.provider.ChatResponseMapper;
import dev.agentgateway.spring.provider.ProviderErrors;
import dev.agentgateway.spring.provider.UsageReader;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.spring.agent.AgentCaller;
import dev.agentgateway.spring.agent.UnresolvedTenantException;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.stream.StreamSource;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.core.Ordered;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * Puts a Spring AI {@code ChatClient} call under the gateway: the limits are checked and a step
 * and the estimated cost reserved before the model is called, the actual cost settled after, and
 * the call recorded in the history and metrics. Add it with
 * {@code ChatClient.builder(model).defaultAdvisors(gatewayAdvisor)}.
 *
 * <p>Calls count for {@code agentId}, or for the agent of the current
 * {@link dev.agentgateway.core.GatewayContext} when none is set; and for the tenant of the current
 * {@code GatewayContext}, else the one {@code agent-gateway.tenant.*} finds (the principal, a request
 * header) when the advisor is given its {@link AgentCaller} — a call that needs a tenant and has
 * none is refused before the model with {@link UnresolvedTenantException}.
 *
 * <p>Each attempt of the gateway's call strategy (a retry, a fallback to another model) runs the
 * rest of the advisor chain anew; a fallback to another provider answers with that provider's
 * response, its usage and model in the {@code ChatResponse} metadata and its provider id under
 * {@link #PROVIDER_METADATA_KEY}. Streams ({@code .stream()}) are governed the same way: reserved
 * before the chain is asked for the first response, settled however they end (see {@link #adviseStream}).
 */
public final class GatewayAdvisor implements CallAdvisor, StreamAdvisor {

    /** Provider id under which ChatClient calls are recorded unless told otherwise. */
    public static final String DEFAULT_PROVIDER_ID = "chat-client";

    /** Key of the {@code ChatResponseMetadata} entry naming the provider that answered. */
    public static final String PROVIDER_METADATA_KEY = "agent-gateway.provider";

    /** Failures of the chain become the same typed exceptions as the provider adapters' (a 503 is retryable). */
    private static final ProviderErrors ERRORS = ProviderErrors.standard();

    private final Gateway gateway;
    private final String agentId;
    private final String providerId;
    private final String defaultModel;
    private final int order;
    private final AgentCaller caller;

    private GatewayAdvisor(Builder builder) {
        this.caller = builder.caller;
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
        GatewayCall call = toCall(request);
        ChainAttempts attempts = new ChainAttempts(request, chain, call);
        LlmResponse answer = gateway.call(call, attempts);
        return attempts.responseFor(answer);
    }

    /**
     * Governs the stream as {@link #adviseCall} governs a call, through {@link Gateway#stream(GatewayCall,
     * StreamSource)}: when it is subscribed, the limits are checked and the estimate reserved and the
     * before-call hooks run before the rest of the chain is asked for anything; the responses are
     * handed on unchanged as they arrive, metered by the chunks they carry; however the stream ends
     * (completed, failed half way, cancelled, cut off by a limit) it is settled once and recorded.
     * A stream the gateway cuts off ends with its typed error after the last response delivered.
     */
    @Override
    public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
        return Flux.defer(() -> {
            GatewayCall call = toCall(request);
            return JdkFlowAdapter.flowPublisherToFlux(gateway.stream(call, new ChainStream(request, chain, call)));
        });
    }

    private GatewayCall toCall(ChatClientRequest request) {
        ChatOptions options = request.prompt().getOptions();
        String model = options == null || options.getModel() == null ? defaultModel : options.getModel();
        String agent = agentId != null ? agentId : GatewayContext.current().agentId();
        return GatewayCall.builder()
                .agentId(agentId)
                .tenant(caller == null ? null : caller.tenant(agent, null))
                .provider(providerId)
                .model(model)
                .messages(SpringAiMessages.toGateway(request.prompt().getInstructions()))
                .tools(SpringAiMessages.toolSpecs(options))
                .temperature(options == null ? null : options.getTemperature())
                .maxTokens(options == null ? null : options.getMaxTokens())
                .build();
    }

    /** The request of an attempt: the model and output cap the gateway chose, where they differ from the call's. */
    private static ChatClientRequest requestFor(ChatClientRequest request, GatewayCall call, LlmRequest attempt) {
        boolean otherModel = attempt.model() != null && !attempt.model().equals(call.model());
        boolean otherCap = attempt.maxTokens() != null && !attempt.maxTokens().equals(call.maxTokens());
        if (!otherModel && !otherCap) {
            return request;
        }
        ChatOptions options = request.prompt().getOptions();
        ChatOptions.Builder<?> changed = options == null ? ChatOptions.builder() : options.mutate();
        if (otherModel) {
            changed.model(attempt.model());
        }
        if (otherCap) {
            changed.maxTokens(attempt.maxTokens());
        }
        return request.mutate().prompt(request.prompt().mutate().chatOptions(changed.build()).build()).build();
    }

    /**
     * The stream of one ChatClient stream call, opened by the gateway once the call is admitted and
     * reserved: the rest of the advisor chain (a fresh copy of it for a retry or a fallback to another
     * model of this ChatModel, since a chain can be walked only once), its failures typed as the
     * provider adapters type them, a stream that ends before its finish reason a typed time-out.
     */
    private final class ChainStream implements StreamSource<ChatClientResponse> {
        private final ChatClientRequest request;
        private final StreamAdvisorChain chain;
        private final GatewayCall call;
        private boolean chainUsed;
        private ChatResponseChunks reader;

        ChainStream(ChatClientRequest request, StreamAdvisorChain chain, GatewayCall call) {
            this.request = request;
            this.chain = chain;
            this.call = call;
        }

        @Override
        public Flow.Publisher<ChatClientResponse> open(LlmRequest attempt) {
            StreamAdvisorChain attemptChain = chainUsed ? chain.copy(GatewayAdvisor.this) : chain;
            chainUsed = true;
            ChatResponseChunks chunks = new ChatResponseChunks(attempt.provider(), ERRORS, UsageReader.PORTABLE);
            reader = chunks;
            Flux<ChatClientResponse> responses = Flux.defer(() -> attemptChain.nextStream(requestFor(request, call, attempt)));
            return JdkFlowAdapter.publisherToFlowPublisher(
                    ChatResponseChunks.typed(chunks.untilFinished(responses), attempt.provider(), ERRORS));
        }

        @Override
        public List<LlmChunk> chunks(ChatClientResponse element) {
            return reader.read(element == null ? null : element.chatResponse());
        }
    }

    /**
     * The client the gateway calls once per attempt of one ChatClient call. The first attempt runs
     * the rest of the advisor chain; a retry or a fallback to another model of this ChatModel runs a
     * fresh copy of it, since a chain can be walked only once.
     */
    private final class ChainAttempts implements LlmClient {
        private final ChatClientRequest request;
        private final CallAdvisorChain chain;
        private final GatewayCall call;
        private boolean chainUsed;
        private ChatClientResponse answered;
        private String answeredBy;

        ChainAttempts(ChatClientRequest request, CallAdvisorChain chain, GatewayCall call) {
            this.request = request;
            this.chain = chain;
            this.call = call;
        }

        @Override
        public LlmResponse complete(LlmRequest attempt) {
            CallAdvisorChain attemptChain = chainUsed ? chain.copy(GatewayAdvisor.this) : chain;
            chainUsed = true;
            answered = null;
            ChatClientResponse response;
            try {
                response = attemptChain.nextCall(requestFor(request, call, attempt));
            } catch (RuntimeException failure) {
                throw ERRORS.translate(attempt.provider(), failure);
            }
            answered = response;
            answeredBy = attempt.provider();
            // read as the provider adapters read a ChatModel's answer: a missing usage is estimated, not free
            return ChatResponseMapper.toLlmResponse(response == null ? null : response.chatResponse(), attempt, 0, ERRORS);
        }

        /** The chain's own response when this ChatModel answered, else one made from the fallback provider's answer. */
        ChatClientResponse responseFor(LlmResponse answer) {
            if (answered != null && answer.provider().equals(answeredBy)) {
                return answered;
            }
            return ChatClientResponse.builder()
                    .chatResponse(SpringAiMessages.toChatResponse(answer))
                    .context(request.context())
                    .build();
        }
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
        private AgentCaller caller;

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

        /**
         * How a call's tenant is found when the thread's {@code GatewayContext} names none (the
         * starter gives {@code agent-gateway.tenant.*}'s); without it such calls have no tenant.
         */
        public Builder tenants(AgentCaller tenantCaller) {
            this.caller = tenantCaller;
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
