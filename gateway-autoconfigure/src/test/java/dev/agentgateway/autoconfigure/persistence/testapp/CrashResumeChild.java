package dev.agentgateway.autoconfigure.persistence.testapp;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolExecutor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import javax.sql.DataSource;

/**
 * The child JVM of the crash test: an application with the starter, checkpointing on, its stores
 * on the parent's PostgreSQL, running one scripted tool loop. Its tools count their runs in the
 * table {@code crash_tool_runs} when they finish.
 *
 * <p>Mode {@code crash} starts the run; its tool {@code slow} never finishes, so the run hangs in
 * its second tool turn until the parent kills this JVM. Mode {@code resume} resumes the run from
 * its latest checkpoint, prints the final answer and exits.
 */
// started only as the application of its test, never picked up by another application's scanning
@ConditionalOnProperty(name = TestApplications.PROPERTY, havingValue = "crash")
@SpringBootConfiguration
@EnableAutoConfiguration
public class CrashResumeChild {

    public static final String WORKFLOW_ID = "crash-run";

    /** fetch, then enrich and slow in one turn, then the answer: decided by the conversation, so it works across JVMs. */
    @Bean
    LlmClient scripted() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(0), ScriptedTurn.toolCall("fetch", "{\"id\":1}"))
                .when(ScriptedLlmClient.toolResultCount(1), ScriptedTurn.toolCall("enrich", "{}").andToolCall("slow", "{}"))
                .when(ScriptedLlmClient.toolResultCount(3), request -> ScriptedTurn.text("done: " + request.messages().stream()
                        .filter(message -> message.role() == dev.agentgateway.core.provider.LlmMessage.Role.TOOL)
                        .map(dev.agentgateway.core.provider.LlmMessage::content).toList()))
                .otherwise(ScriptedTurn.text("unexpected conversation"))
                .build();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        ConfigurableApplicationContext context = new SpringApplicationBuilder(CrashResumeChild.class)
                .web(WebApplicationType.NONE)
                .properties(TestApplications.select("crash"), "spring.datasource.url=" + args[1], "spring.datasource.username=postgres",
                        "spring.datasource.password=postgres", "spring.main.banner-mode=off",
                        "agent-gateway.jdbc.initialize-schema=never", "agent-gateway.checkpoint.enabled=true",
                        "agent-gateway.tool-execution.timeout=10m", "agent-gateway.persistence.retention.enabled=false")
                .run();
        Gateway gateway = context.getBean(Gateway.class);
        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
        ToolExecutor tools = (name, arguments) -> {
            if (name.equals("slow") && mode.equals("crash")) {
                Thread.sleep(Long.MAX_VALUE); // still working when the JVM dies
            }
            String result = name + " result";
            jdbc.update("update crash_tool_runs set runs = runs + 1 where tool_name = ?", name); // finished: count it
            return result;
        };
        if (mode.equals("crash")) {
            System.out.println("STARTING");
            gateway.callWithTools(GatewayCall.builder().agentId("crasher").provider("scripted").model("scripted-model")
                    .user("research and enrich").workflowId(WORKFLOW_ID)
                    .tools(List.of(ToolSpec.of("fetch", "Fetches"), ToolSpec.of("enrich", "Enriches"),
                            ToolSpec.of("slow", "Takes its time")))
                    .build(), tools, 10);
            System.out.println("UNEXPECTED: the run finished");
            System.exit(3);
        }
        LlmResponse response = gateway.resume(WORKFLOW_ID, tools);
        ScriptedLlmClient model = context.getBean(ScriptedLlmClient.class);
        System.out.println("RESULT: " + response.content());
        System.out.println("MODEL REQUESTS: " + model.requestCount());
        context.close(); // a normal shutdown: the history queue is written
        System.exit(0);
    }
}
