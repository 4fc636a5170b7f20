package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.spring.hook.AfterLlmCall;
import dev.agentgateway.spring.hook.BeforeLlmCall;
import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.provider.LlmResponse;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

@Component
public class HookLog {

    final List<String> events = new CopyOnWriteArrayList<>();
    volatile String vetoAgent;

    @BeforeLlmCall
    void before(CallContext context) {
        events.add("before:" + context.agentId());
        if (context.agentId().equals(vetoAgent)) {
            throw new IllegalStateException("vetoed by policy");
        }
    }

    @AfterLlmCall
    void after(CallContext context, LlmResponse response) {
        events.add("after:" + context.agentId() + ":" + response.content());
    }
}
