package dev.agentgateway.core.internal;

import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AfterHooksStageTest {

    @Test
    void hooksSeeTheResponseInRegistrationOrder() {
        List<String> seen = new ArrayList<>();
        AfterHooksStage stage = new AfterHooksStage(List.of((context, response) -> seen.add("1 " + response.content()),
                (context, response) -> seen.add("2 " + context.callId())));
        CallContext context = new CallContext("c-1", "a", null, null, new LlmRequest("p", "m", List.of(), List.of(), null, 10));

        stage.run(context, LlmResponse.text("done", 1, 1));

        assertThat(seen).containsExactly("1 done", "2 c-1");
    }
}
