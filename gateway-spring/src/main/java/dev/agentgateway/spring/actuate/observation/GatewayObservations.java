package dev.agentgateway.spring.actuate.observation;

import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.provider.ToolCall;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.List;
import java.util.Objects;

/**
 * The gateway's {@link ExecutionObserver} over Micrometer's Observation API, so that a tracing
 * backend shows an agent run as a tree: the run ({@value #RUN}, span name
 * {@code invoke_agent <agent>}) is the parent of each provider attempt ({@value #CALL}, span name
 * {@code chat <model>}) and each tool execution ({@value #TOOL}, span name
 * {@code execute_tool <tool>}). Tool executions run on other threads; they are attached to the
 * run explicitly. A call outside a run is a child of whatever observation is current (an incoming
 * HTTP request, say). Each observation is put in scope while it runs, so instrumented work inside it
 * (a Spring AI model's own observation, an HTTP client) nests beneath it.
 *
 * <p>Low-cardinality key values (also the tags of the timers Boot derives from observations):
 * {@code gen_ai.operation.name} ({@code invoke_agent}, {@code chat}, {@code execute_tool}),
 * {@code gen_ai.agent.name}, and {@code gen_ai.provider.name} + {@code gen_ai.request.model} for calls,
 * {@code gen_ai.tool.name} for tools. High-cardinality ones (spans only): {@code gen_ai.conversation.id}
 * (the workflow id), {@code agent_gateway.call.id}, {@code gen_ai.tool.call.id}. No content and no
 * tenant is attached; error messages are scrubbed of secrets before they reach a tracer.
 */
public class GatewayObservations implements ExecutionObserver {

    /** Observation of a tool-calling run. */
    public static final String RUN = "agent_gateway.run";

    /** Observation of one provider attempt. */
    public static final String CALL = "agent_gateway.call";

    /** Observation of one tool execution. */
    public static final String TOOL = "agent_gateway.tool";

    private final ObservationRegistry registry;
    private final EndpointSanitizer sanitizer;

    public GatewayObservations(ObservationRegistry registry) {
        this(registry, new EndpointSanitizer(List.of(), false));
    }

    public GatewayObservations(ObservationRegistry registry, EndpointSanitizer sanitizer) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sanitizer = Objects.requireNonNull(sanitizer, "sanitizer");
    }

    @Override
    public Span runStarted(String agentId, String workflowId) {
        GatewayObservationContext context = new GatewayObservationContext(GatewayObservationContext.Kind.RUN, agentId,
                workflowId, null, null);
        Observation observation = Observation.createNotStarted(RUN, () -> context, registry)
                .contextualName("invoke_agent " + agentId)
                .lowCardinalityKeyValue("gen_ai.operation.name", "invoke_agent")
                .lowCardinalityKeyValue("gen_ai.agent.name", agentId);
        if (workflowId != null) {
            observation.highCardinalityKeyValue("gen_ai.conversation.id", workflowId);
        }
        return start(observation, null);
    }

    @Override
    public Span callStarted(CallContext call, Span parent) {
        GatewayObservationContext context = new GatewayObservationContext(GatewayObservationContext.Kind.CALL,
                call.agentId(), call.workflowId(), call, null);
        String model = call.request().model() == null ? "unknown" : call.request().model();
        Observation observation = Observation.createNotStarted(CALL, () -> context, registry)
                .contextualName("chat " + model)
                .lowCardinalityKeyValue("gen_ai.operation.name", "chat")
                .lowCardinalityKeyValue("gen_ai.provider.name", call.request().provider())
                .lowCardinalityKeyValue("gen_ai.request.model", model)
                .lowCardinalityKeyValue("gen_ai.agent.name", call.agentId())
                .highCardinalityKeyValue("agent_gateway.call.id", call.callId());
        if (call.workflowId() != null) {
            observation.highCardinalityKeyValue("gen_ai.conversation.id", call.workflowId());
        }
        return start(observation, parent);
    }

    @Override
    public Span toolStarted(String agentId, String workflowId, ToolCall call, Span parent) {
        GatewayObservationContext context = new GatewayObservationContext(GatewayObservationContext.Kind.TOOL, agentId,
                workflowId, null, call);
        Observation observation = Observation.createNotStarted(TOOL, () -> context, registry)
                .contextualName("execute_tool " + call.name())
                .lowCardinalityKeyValue("gen_ai.operation.name", "execute_tool")
                .lowCardinalityKeyValue("gen_ai.tool.name", call.name())
                .lowCardinalityKeyValue("gen_ai.agent.name", agentId)
                .highCardinalityKeyValue("gen_ai.tool.call.id", call.id());
        if (workflowId != null) {
            observation.highCardinalityKeyValue("gen_ai.conversation.id", workflowId);
        }
        return start(observation, parent);
    }

    private Span start(Observation observation, Span parent) {
        if (parent instanceof ObservationSpan parentSpan && !parentSpan.observation.isNoop()) {
            observation.parentObservation(parentSpan.observation);
        }
        observation.start();
        Observation.Scope scope = observation.openScope();
        return new ObservationSpan(observation, scope, sanitizer);
    }

    /** A started observation with its scope open on the starting thread. */
    static final class ObservationSpan implements Span {

        private final Observation observation;
        private final Observation.Scope scope;
        private final EndpointSanitizer sanitizer;

        ObservationSpan(Observation observation, Observation.Scope scope, EndpointSanitizer sanitizer) {
            this.observation = observation;
            this.scope = scope;
            this.sanitizer = sanitizer;
        }

        Observation observation() {
            return observation;
        }

        @Override
        public void end(Throwable error) {
            try {
                if (error != null) {
                    observation.error(sanitizer.safe(error));
                }
            } finally {
                scope.close();
                observation.stop();
            }
        }
    }
}
