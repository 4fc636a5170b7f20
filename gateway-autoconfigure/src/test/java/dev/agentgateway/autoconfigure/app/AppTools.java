package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.spring.tool.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

import java.util.concurrent.atomic.AtomicInteger;

@Component
public class AppTools {

    final AtomicInteger additions = new AtomicInteger();
    final AtomicInteger secretReads = new AtomicInteger();

    @Tool(description = "Adds two integers")
    public int add(@ToolParam(description = "first addend") int a, @ToolParam(description = "second addend") int b) {
        additions.incrementAndGet();
        return a + b;
    }

    @org.springframework.ai.tool.annotation.Tool(name = "read_secret", description = "Reads the secret")
    public String readSecret() {
        secretReads.incrementAndGet();
        return "42";
    }
}
