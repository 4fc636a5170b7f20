package dev.agentgateway.bench;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.AccessPolicy;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessRule;
import dev.agentgateway.core.tools.ToolExecutor;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The gateways, calls and tools every benchmark and the soak share, so they all measure the same thing. */
public final class Fixtures {

    /** The two prompts benchmarks alternate (see {@link NoopLlmClient}); compared by reference there. */
    public static final String PROMPT_A = "What is the capital of France?";
    public static final String PROMPT_B = "What is the capital of Germany?";

    public static final String PROVIDER = "noop";
    /** A model the default price table knows, so every call is priced and budgeted as in production. */
    public static final String MODEL = "gpt-4o-mini";
    public static final String AGENT = "bench-agent";
    public static final int MAX_TOKENS = 256;

    public static final ToolSpec GET_WEATHER = ToolSpec.of("get_weather", "Current weather in a city",
            Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city")));
    public static final ToolSpec GET_TIME = ToolSpec.of("get_time", "Current time in a time zone",
            Map.of("type", "object", "properties", Map.of("zone", Map.of("type", "string")), "required", List.of("zone")));
    public static final ToolSpec CONVERT = ToolSpec.of("convert", "Converts a temperature",
            Map.of("type", "object", "properties", Map.of("amount", Map.of("type", "number"),
                    "unit", Map.of("type", "string", "enum", List.of("C", "F"))), "required", List.of("amount", "unit")));
    public static final List<ToolSpec> TOOLS = List.of(GET_WEATHER, GET_TIME, CONVERT);
    private static final List<ToolSpec> OFFERED = switchedOn("offerTools") ? List.of(GET_WEATHER, GET_TIME) : List.of();

    /** A tool executor that answers at once. */
    public static final ToolExecutor TOOL_EXECUTOR = (name, arguments) -> switch (name) {
        case "get_weather" -> "21.5 C, sunny";
        case "get_time" -> "14:00";
        default -> "70.7 F";
    };

    private Fixtures() {
    }

    /** A gateway with nothing switched on but what cannot be: the default in-memory history (10 000 calls). */
    public static Gateway bareGateway() {
        return Gateway.builder()
                .provider(PROVIDER, new NoopLlmClient())
                .provider("noop-tools", new ThreeToolTurnsClient())
                .build();
    }

    /**
     * Everything a production gateway governs, switched on: global, per-agent and per-run budget
     * and step limits and a time limit (all too high to be reached, so every call is reserved,
     * settled and checked), loop detection with the seed's defaults, tool access rules with a
     * deny-by-default policy, and the bounded in-memory history.
     */
    public static Gateway governedGateway(int historyCapacity) {
        return governedGateway(historyCapacity, null);
    }

    /** {@link #governedGateway(int)} whose tool calls run on {@code toolExecutor} (null: the gateway's own pool). */
    public static Gateway governedGateway(int historyCapacity, java.util.concurrent.ExecutorService toolExecutor) {
        return governedBuilder(historyCapacity, toolExecutor).build();
    }

    /**
     * The builder of {@link #governedGateway(int, java.util.concurrent.ExecutorService)}, for the
     * variants that change one thing: another history store ({@code b3}) or another provider
     * ({@code h2}, the OpenAI adapter).
     */
    public static Gateway.Builder governedBuilder(int historyCapacity, java.util.concurrent.ExecutorService toolExecutor) {
        ToolAccessController access = new ToolAccessController(AccessPolicy.DENY)
                .addRule(ToolAccessRule.forTool("delete_*").deny("*"))
                .setAgentTools(AGENT, List.of("get_weather", "get_time", "convert"));
        ExecutionLimits.Builder limits = ExecutionLimits.builder();
        if (switchedOn("limits")) {
            limits.maxBudget(new BigDecimal("1000000000"))
                    .maxSteps(Integer.MAX_VALUE)
                    .perAgentMaxBudget(new BigDecimal("1000000000"))
                    .perAgentMaxSteps(Integer.MAX_VALUE)
                    .perWorkflowMaxBudget(new BigDecimal("1000000000"))
                    .perWorkflowMaxSteps(Integer.MAX_VALUE);
        }
        if (switchedOn("timeLimit")) {
            limits.maxTime(Duration.ofDays(365));
        }
        Gateway.Builder builder = Gateway.builder();
        if (toolExecutor != null) {
            builder.toolExecutorService(toolExecutor);
        }
        if (switchedOn("loopDetection")) {
            builder.loopDetection(LoopDetectionConfig.defaults());
        }
        if (switchedOn("toolAccess")) {
            builder.toolAccess(access);
        }
        return builder
                .limits(limits.build())
                .historyCapacity(historyCapacity)
                .provider(PROVIDER, new NoopLlmClient())
                .provider("noop-tools", new ThreeToolTurnsClient());
    }

    /**
     * For factorial experiments only (the published figures use the defaults, everything on):
     * {@code -Dbench.governed.<feature>=false} switches one governed feature off, where feature
     * is {@code limits}, {@code timeLimit}, {@code loopDetection}, {@code toolAccess} or
     * {@code offerTools}. Pass it to the benchmark forks with {@code -jvmArgsAppend}.
     */
    static boolean switchedOn(String feature) {
        return !"false".equals(System.getProperty("bench.governed." + feature));
    }

    /** What the baseline sends to the model directly. */
    public static LlmRequest request(String prompt) {
        return new LlmRequest(PROVIDER, MODEL, List.of(LlmMessage.user(prompt)), List.of(), null, MAX_TOKENS);
    }

    /** A plain call: no run, no tools. */
    public static GatewayCall bareCall(String prompt) {
        return GatewayCall.builder().agentId(AGENT).provider(PROVIDER).model(MODEL).maxTokens(MAX_TOKENS).user(prompt).build();
    }

    /** A call of one workflow run that offers the agent its two tools (so tool access is checked on every call). */
    public static GatewayCall governedCall(String prompt, String workflowId) {
        return governedCall(prompt, workflowId, PROVIDER);
    }

    /** {@link #governedCall(String, String)} to another provider. */
    public static GatewayCall governedCall(String prompt, String workflowId, String provider) {
        return GatewayCall.builder().agentId(AGENT).provider(provider).model(MODEL).maxTokens(MAX_TOKENS)
                .workflowId(workflowId).tools(OFFERED).user(prompt).build();
    }

    /** The tools a governed call offers: two, unless switched off with {@code -Dbench.governed.offerTools=false}. */
    public static List<ToolSpec> offeredTools() {
        return OFFERED;
    }

    /** The start of a three-tool-turn run. */
    public static GatewayCall toolRunCall(String workflowId) {
        return GatewayCall.builder().agentId(AGENT).provider("noop-tools").model(MODEL).maxTokens(MAX_TOKENS)
                .workflowId(workflowId).tools(TOOLS).user("Weather and time in Paris, in Fahrenheit?").build();
    }
}
