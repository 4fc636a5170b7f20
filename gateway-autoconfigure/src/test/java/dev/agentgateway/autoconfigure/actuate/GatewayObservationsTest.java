package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.spring.actuate.observation.GatewayObservationContext;
import dev.agentgateway.spring.actuate.observation.GatewayObservations;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.provider.MockStream;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Observation spans of runs, provider attempts and tool executions, recorded into Micrometer's
 * {@link TestObservationRegistry} (which also checks that every observation is started, scoped and
 * stopped correctly): the run is the parent of its attempts and of its tools, which run on other
 * threads.
 */
class GatewayObservationsTest {

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private Gateway gateway;

    GatewayObservationsTest() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway gateway(String provider, LlmClient client) {
        gateway = Gateway.builder().observer(new GatewayObservations(registry, new EndpointSanitizer(List.of("sk-observed-secret-1"), false)))
                .provider(provider, client).build();
        return gateway;
    }

    @Test
    void aToolRunIsATreeOfItsAttemptsAndTools() {
        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.lastMessageIsToolResult("lookup"), ScriptedTurn.text("done"))
                .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("lookup", "{}"))
                .otherwise(ScriptedTurn.text("no"))
                .build();
        gateway("scripted", model).callWithTools(GatewayCall.builder().agentId("researcher").provider("scripted")
                .model("script-1").workflowId("wf-7").user("go").tool(ToolSpec.of("lookup", "Looks", Map.of("type", "object")))
                .build(), (tool, arguments) -> "found");

        List<Observation.Context> runs = named(GatewayObservations.RUN);
        List<Observation.Context> calls = named(GatewayObservations.CALL);
        List<Observation.Context> tools = named(GatewayObservations.TOOL);
        assertThat(runs).hasSize(1);
        assertThat(calls).hasSize(2);
        assertThat(tools).hasSize(1);
        Observation.Context run = runs.get(0);
        assertThat(run.getParentObservation()).isNull();
        assertThat(run.getContextualName()).isEqualTo("invoke_agent researcher");
        assertThat(run.getLowCardinalityKeyValue("gen_ai.operation.name").getValue()).isEqualTo("invoke_agent");
        assertThat(run.getHighCardinalityKeyValue("gen_ai.conversation.id").getValue()).isEqualTo("wf-7");
        for (Observation.Context call : calls) {
            assertThat(call.getParentObservation().getContextView()).isSameAs(run);
            assertThat(call.getContextualName()).isEqualTo("chat script-1");
            assertThat(call.getLowCardinalityKeyValues()).contains(KeyValue.of("gen_ai.operation.name", "chat"),
                    KeyValue.of("gen_ai.provider.name", "scripted"), KeyValue.of("gen_ai.request.model", "script-1"),
                    KeyValue.of("gen_ai.agent.name", "researcher"));
            assertThat(call.getHighCardinalityKeyValue("agent_gateway.call.id")).isNotNull();
            assertThat(((GatewayObservationContext) call).getKind()).isEqualTo(GatewayObservationContext.Kind.CALL);
        }
        Observation.Context tool = tools.get(0);
        assertThat(tool.getParentObservation().getContextView()).as("the tool ran on another thread, under the run")
                .isSameAs(run);
        assertThat(tool.getContextualName()).isEqualTo("execute_tool lookup");
        assertThat(tool.getLowCardinalityKeyValue("gen_ai.tool.name").getValue()).isEqualTo("lookup");
        assertThat(tool.getHighCardinalityKeyValue("gen_ai.tool.call.id")).isNotNull();
        assertThat(stopped.indexOf(run)).as("the run ends last").isEqualTo(stopped.size() - 1);

        assertThat(registry.getCurrentObservation()).as("every scope was closed").isNull();
        assertThat(registry).hasNumberOfObservationsWithNameEqualTo(GatewayObservations.CALL, 2)
                .hasObservationWithNameEqualTo(GatewayObservations.RUN).that().hasBeenStarted().hasBeenStopped();
    }

    @Test
    void aPlainCallIsAChildOfTheCurrentObservation() {
        gateway("priced", MockLlmClient.builder().tokens(1, 1).costPerCall("0.01").build());
        Observation request = Observation.start("http.server.requests", registry);

        try (Observation.Scope scope = request.openScope()) {
            gateway.call("alpha", "priced", "m", "hi");
        } finally {
            request.stop();
        }

        Observation.Context call = named(GatewayObservations.CALL).get(0);
        assertThat(call.getParentObservation().getContextView()).isSameAs(request.getContext());
        assertThat(named(GatewayObservations.RUN)).isEmpty();
    }

    @Test
    void aFailedToolAndAFailedAttemptCarryTheirErrorWithoutSecrets() {
        LlmClient failing = request -> {
            throw new ProviderAuthenticationException("leaky", "Incorrect API key provided: sk-observed-secret-1", null);
        };
        gateway("leaky", failing);

        assertThatThrownBy(() -> gateway.call("alpha", "leaky", "m", "hi")).isInstanceOf(ProviderException.class);

        Observation.Context call = named(GatewayObservations.CALL).get(0);
        assertThat(call.getError()).isNotNull();
        assertThat(call.getError().getMessage()).contains("Incorrect API key").doesNotContain("sk-observed-secret-1");
        assertThat(call.getError().toString()).contains(ProviderAuthenticationException.class.getName());

        ScriptedLlmClient model = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.lastMessageIsToolResult("boom"), ScriptedTurn.text("sorry"))
                .when(ScriptedLlmClient.toolsOffered(), ScriptedTurn.toolCall("boom", "{}"))
                .otherwise(ScriptedTurn.text("no"))
                .build();
        gateway.close();
        gateway("scripted", model).callWithTools(GatewayCall.builder().agentId("a").provider("scripted").model("m").user("go")
                .tool(ToolSpec.of("boom", "Fails", Map.of("type", "object"))).build(), (tool, arguments) -> {
                    throw new IllegalStateException("tool broke");
                });
        assertThat(registry).hasObservationWithNameEqualTo(GatewayObservations.TOOL).that()
                .assertThatError().hasMessage("tool broke");
    }

    @Test
    void aCompletedStreamIsOneAttemptSpanWithoutAnError() {
        gateway("scripted", ScriptedLlmClient.builder().otherwise(ScriptedTurn.text("a streamed answer")).build());

        JdkFlowAdapter.flowPublisherToFlux(gateway.stream(GatewayCall.builder().agentId("alpha").provider("scripted")
                .model("m").user("hi").build())).blockLast(Duration.ofSeconds(20));

        assertThat(named(GatewayObservations.CALL)).singleElement()
                .satisfies(call -> assertThat(call.getError()).isNull());
    }

    @Test
    void aCancelledStreamsSpanEndsWithTheCancelNotAsASuccess() {
        gateway("scripted", ScriptedLlmClient.builder()
                .otherwise(ScriptedTurn.text("a long streamed answer that the subscriber never reads to its end")).build());

        JdkFlowAdapter.flowPublisherToFlux(gateway.stream(GatewayCall.builder().agentId("alpha").provider("scripted")
                .model("m").user("hi").build())).take(2).blockLast(Duration.ofSeconds(20));

        assertThat(named(GatewayObservations.CALL)).singleElement()
                .satisfies(call -> assertThat(call.getError()).isInstanceOf(CancellationException.class));
    }

    @Test
    void aStreamFailedHalfWayEndsItsSpanWithTheTypedError() {
        gateway("scripted", ScriptedLlmClient.builder()
                .otherwise(ScriptedTurn.text("a streamed answer that breaks off half way")).build()
                .streaming(MockStream.DEFAULT.failingAfter(2)));

        assertThatThrownBy(() -> JdkFlowAdapter.flowPublisherToFlux(gateway.stream(GatewayCall.builder().agentId("alpha")
                .provider("scripted").model("m").user("hi").build())).blockLast(Duration.ofSeconds(20)))
                .isInstanceOf(ProviderException.class);

        assertThat(named(GatewayObservations.CALL)).singleElement()
                .satisfies(call -> assertThat(call.getError()).isInstanceOf(ProviderException.class));
    }

    private List<Observation.Context> named(String name) {
        return stopped.stream().filter(context -> name.equals(context.getName())).toList();
    }
}
