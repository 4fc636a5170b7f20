package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import dev.agentgateway.core.tools.ApprovalHandler;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /actuator/agentcheckpoints} of runs that stopped half way: one that hit a loop or was
 * denied a tool would meet the same end again, so it is not shown as resumable; one stopped by a
 * limit resumes once the limit is raised, so it is.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=agentcheckpoints,agentcalls",
                "agent-gateway.checkpoint.enabled=true",
                "agent-gateway.resilience.retry.max-attempts=1",
                "agent-gateway.tool-access.rules[0].tool=approve_me",
                "agent-gateway.tool-access.rules[0].require-approval=true",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
@Import(StoppedRunCheckpointsHttpTest.RefusingApprover.class)
class StoppedRunCheckpointsHttpTest {

    /** Nobody approves on the spot: an approval-required tool is refused rather than pausing its run. */
    @TestConfiguration(proxyBeanMethods = false)
    static class RefusingApprover {
        @Bean
        ApprovalHandler refuseEverything() {
            return request -> false;
        }
    }

    private static final Map<String, Object> NO_PARAMETERS = Map.of("type", "object", "properties", Map.of());

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    Http http;

    @BeforeEach
    void freshGateway() {
        http = new Http(port);
        gateway.reset();
    }

    /** A model that asks for {@code tool} with the same arguments every turn. */
    private GatewayCall run(String workflowId, String tool) {
        gateway.registerProvider("asks-" + tool, ScriptedLlmClient.builder()
                .otherwise(ScriptedTurn.toolCall(tool, "{}")).build());
        return GatewayCall.builder().agentId("worker").provider("asks-" + tool).model("script-1").workflowId(workflowId)
                .user("work").tool(ToolSpec.of(tool, "A tool", NO_PARAMETERS)).build();
    }

    private void runIntoALoop(String workflowId) {
        assertThatThrownBy(() -> gateway.callWithTools(run(workflowId, "lookup"), (tool, arguments) -> "same result"))
                .isInstanceOf(LoopDetectedException.class);
    }

    private JsonNode resumePoint(String workflowId) {
        return http.get("/actuator/agentcheckpoints/" + workflowId).json().get("resumePoint");
    }

    @Test
    void aRunStoppedByALoopIsNotResumableAndSaysWhatStoppedIt() {
        runIntoALoop("wf-loop");

        JsonNode point = resumePoint("wf-loop");
        assertThat(point.get("finished").asBoolean()).isFalse();
        assertThat(point.get("resumable").asBoolean()).isFalse();
        assertThat(point.get("stoppedBy").asString()).isEqualTo("loop:repeated_tool_call");
        JsonNode listed = http.get("/actuator/agentcheckpoints").json().get("workflows").get("wf-loop");
        assertThat(listed.get("resumePoint").get("resumable").asBoolean()).isFalse();
        assertThat(listed.get("latest").get("resumable").asBoolean()).isFalse();
    }

    @Test
    void theCallAfterWhichTheLoopWasDetectedShowsWhatRefusedIt() {
        runIntoALoop("wf-loop-call");

        JsonNode failed = http.get("/actuator/agentcalls?workflowId=wf-loop-call&success=false").json().get("calls");

        assertThat(failed).singleElement()
                .satisfies(call -> assertThat(call.get("refusedBy").asString()).isEqualTo("loop:repeated_tool_call"));
        assertThat(http.get("/actuator/agentcalls?workflowId=wf-loop-call&success=true").json().get("calls").get(0)
                .get("refusedBy").isNull()).isTrue();
    }

    @Test
    void aRunDeniedAToolIsNotResumableAndNamesTheTool() {
        assertThatThrownBy(() -> gateway.callWithTools(run("wf-denied", "approve_me"), (tool, arguments) -> "ran"))
                .isInstanceOf(ToolAccessDeniedException.class);

        JsonNode point = resumePoint("wf-denied");
        assertThat(point.get("resumable").asBoolean()).isFalse();
        assertThat(point.get("stoppedBy").asString()).isEqualTo("tool-access:approve_me");
        int step = point.get("step").asInt();
        assertThat(http.get("/actuator/agentcheckpoints/wf-denied/" + step).json().get("resumable").asBoolean()).isFalse();
    }

    @Test
    void aRunStoppedByALimitStaysResumable() {
        ExecutionLimits configured = gateway.getLimits();
        gateway.updateLimits(configured.toBuilder().maxSteps(2).build());
        try {
            // two steps, fewer than the three repeats that make a loop
            assertThatThrownBy(() -> gateway.callWithTools(run("wf-limit", "other"), (tool, arguments) -> "result"))
                    .isInstanceOf(StepLimitExceededException.class);
        } finally {
            gateway.updateLimits(configured);
        }

        JsonNode point = resumePoint("wf-limit");
        assertThat(point.get("resumable").asBoolean()).isTrue();
        assertThat(point.get("stoppedBy").isNull()).isTrue();
    }
}
