package dev.agentgateway.spring.actuate.observation;

import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.provider.ToolCall;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of the gateway is about, for {@link io.micrometer.observation.ObservationHandler}s,
 * predicates and filters: a tool-calling {@linkplain Kind#RUN run}, one provider
 * {@linkplain Kind#CALL attempt} within it (or on its own), or one {@linkplain Kind#TOOL tool execution}.
 */
public class GatewayObservationContext extends Observation.Context {

    /** What is observed. */
    public enum Kind {
        /** A {@code callWithTools} or {@code resume} run: observation {@value GatewayObservations#RUN}. */
        RUN,
        /** One provider attempt: observation {@value GatewayObservations#CALL}. */
        CALL,
        /** One tool execution: observation {@value GatewayObservations#TOOL}. */
        TOOL
    }

    private final Kind kind;
    private final String agentId;
    private final @Nullable String workflowId;
    private final @Nullable CallContext call;
    private final @Nullable ToolCall toolCall;

    public GatewayObservationContext(Kind kind, String agentId, @Nullable String workflowId, @Nullable CallContext call,
                                     @Nullable ToolCall toolCall) {
        this.kind = kind;
        this.agentId = agentId;
        this.workflowId = workflowId;
        this.call = call;
        this.toolCall = toolCall;
    }

    public Kind getKind() {
        return kind;
    }

    public String getAgentId() {
        return agentId;
    }

    public @Nullable String getWorkflowId() {
        return workflowId;
    }

    /** The provider attempt, for {@link Kind#CALL}. */
    public @Nullable CallContext getCall() {
        return call;
    }

    /** The tool call, for {@link Kind#TOOL}. */
    public @Nullable ToolCall getToolCall() {
        return toolCall;
    }
}
