package dev.agentgateway.bench;

import dev.agentgateway.autoconfigure.chatclient.GatewayAdvisor;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.service.AiServices;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientAttributes;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cost of one call through each framework when the model answers instantly. Every benchmark
 * returns its result, so the JIT cannot drop the work, and builds its request on each call as an
 * application would. {@link OneThread} and {@link TwoThreads} run the same methods on one and two
 * threads sharing one gateway, one ChatClient and one AI service, as beans would be shared.
 *
 * <p>Names: {@code a_*} are the direct model calls each framework's overhead is measured from,
 * {@code b_*} our gateway, {@code c_*} Spring AI, {@code d_*} LangChain4j, {@code e_*} tool runs.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class CallOverhead {

    /** One of each framework, shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class Frameworks {
        final LlmClient client = new NoopLlmClient();
        final LlmClient toolClient = new ThreeToolTurnsClient();
        final JsonMapper json = JsonMapper.builder().build();
        Gateway bare;
        Gateway governed;
        Gateway governedInlineTools;
        ChatModel springModel;
        ChatClient chatClient;
        ChatClient chatClientNoToolAdvisor;
        ChatClient chatClientGoverned;
        NoopLangChain4jChatModel langchain4jModel;
        Assistant assistant;

        @Setup(Level.Trial)
        public void setUp() {
            bare = Fixtures.bareGateway();
            governed = Fixtures.governedGateway(Integer.getInteger("bench.historyCapacity", 10_000));
            governedInlineTools = Fixtures.governedGateway(Integer.getInteger("bench.historyCapacity", 10_000),
                    new CallerRunsExecutorService());
            springModel = new NoopSpringAiChatModel();
            chatClient = ChatClient.create(springModel);
            chatClientNoToolAdvisor = ChatClient.builder(springModel)
                    .defaultAdvisors(spec -> spec.param(ChatClientAttributes.TOOL_CALLING_ADVISOR_AUTO_REGISTER.getKey(), false))
                    .build();
            // our advisor, over the governed gateway: limits, loop detection, tool rules and history all apply
            chatClientGoverned = ChatClient.builder(springModel)
                    .defaultAdvisors(GatewayAdvisor.builder(governed).agentId(Fixtures.AGENT).build())
                    .build();
            langchain4jModel = new NoopLangChain4jChatModel();
            assistant = AiServices.create(Assistant.class, langchain4jModel);
            Sanity.check(this);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            bare.close();
            governed.close();
            governedInlineTools.close();
        }
    }

    /** What each thread keeps apart: its own workflow runs (so loop detection sees one thread's run) and its prompt alternation. */
    @State(Scope.Thread)
    public static class Caller {
        private static final AtomicInteger THREADS = new AtomicInteger();
        final String workflowId = "bench-run-" + THREADS.incrementAndGet();
        final String toolWorkflowId = workflowId + "-tools";
        final GatewayContext context = new GatewayContext(null, workflowId + "-advisor", null);
        private boolean flip;

        String nextPrompt() {
            flip = !flip;
            return flip ? Fixtures.PROMPT_A : Fixtures.PROMPT_B;
        }
    }

    // ---- baselines: the no-op model called directly -----------------------------------------------

    /** The baseline of the issue: {@code LlmClient.complete} on a request built for the call. */
    @Benchmark
    public LlmResponse a1_llmClient_direct(Frameworks f, Caller c) {
        return f.client.complete(Fixtures.request(c.nextPrompt()));
    }

    /** Spring AI's own baseline: {@code ChatModel.call(Prompt)}. */
    @Benchmark
    public ChatResponse a2_springAi_chatModel_direct(Frameworks f, Caller c) {
        return f.springModel.call(new Prompt(c.nextPrompt()));
    }

    /** LangChain4j's own baseline: {@code ChatModel.chat(ChatMessage...)}. */
    @Benchmark
    public dev.langchain4j.model.chat.response.ChatResponse a3_langchain4j_chatModel_direct(Frameworks f, Caller c) {
        return f.langchain4jModel.chat(UserMessage.from(c.nextPrompt()));
    }

    // ---- the gateway ------------------------------------------------------------------------------

    /** {@code Gateway.call} with the defaults: no limits, no loop detection, no tool rules; in-memory history. */
    @Benchmark
    public LlmResponse b1_gateway_bare(Frameworks f, Caller c) {
        return f.bare.call(Fixtures.bareCall(c.nextPrompt()));
    }

    /** {@code Gateway.call} with limits on three scopes, loop detection, tool access (two tools offered) and in-memory history. */
    @Benchmark
    public LlmResponse b2_gateway_governed(Frameworks f, Caller c) {
        return f.governed.call(Fixtures.governedCall(c.nextPrompt(), c.workflowId));
    }

    // ---- Spring AI --------------------------------------------------------------------------------

    /** {@code ChatClient.create(model).prompt().user(..).call().chatResponse()}: Spring AI as a user gets it, no advisors added. */
    @Benchmark
    public ChatResponse c1_springAi_chatClient(Frameworks f, Caller c) {
        return f.chatClient.prompt().user(c.nextPrompt()).call().chatResponse();
    }

    /** The same with the tool-calling advisor Spring AI 2.0 adds by itself switched off: its cheapest ChatClient call. */
    @Benchmark
    public ChatResponse c2_springAi_chatClient_noToolAdvisor(Frameworks f, Caller c) {
        return f.chatClientNoToolAdvisor.prompt().user(c.nextPrompt()).call().chatResponse();
    }

    /**
     * The default ChatClient with our {@code GatewayAdvisor} over the governed gateway, the call
     * made in the caller's workflow run (a {@code GatewayContext}, as the starter sets around an
     * agent's work). The advisor's overhead is this minus {@code c1}.
     */
    @Benchmark
    public ChatResponse c3_springAi_chatClient_gatewayAdvisor(Frameworks f, Caller c) {
        String prompt = c.nextPrompt();
        return c.context.call(() -> f.chatClientGoverned.prompt().user(prompt).call().chatResponse());
    }

    // ---- LangChain4j ------------------------------------------------------------------------------

    /** An AI service ({@code AiServices.create}) whose method takes the user message and returns the text. */
    @Benchmark
    public String d1_langchain4j_aiService(Frameworks f, Caller c) {
        return f.assistant.chat(c.nextPrompt());
    }

    // ---- tool runs: three tool turns and an answer (four model calls, three tool calls) --------------

    /**
     * The loop an application would write without a framework: call the model, parse each tool
     * call's JSON arguments, run the tool inline, append the result, until the model answers.
     */
    @Benchmark
    @SuppressWarnings("unchecked")
    public LlmResponse e1_toolLoop_direct(Frameworks f) throws Exception {
        List<LlmMessage> messages = new ArrayList<>(8);
        messages.add(LlmMessage.user("Weather and time in Paris, in Fahrenheit?"));
        while (true) {
            LlmResponse response = f.toolClient.complete(new LlmRequest(Fixtures.PROVIDER, Fixtures.MODEL, messages,
                    Fixtures.TOOLS, null, Fixtures.MAX_TOKENS));
            if (!response.hasToolCalls()) {
                return response;
            }
            messages.add(response.toAssistantMessage());
            for (ToolCall call : response.toolCalls()) {
                Map<String, Object> arguments = f.json.readValue(call.arguments(), Map.class);
                Object result = Fixtures.TOOL_EXECUTOR.execute(call.name(), arguments);
                messages.add(LlmMessage.tool(call.id(), call.name(), String.valueOf(result)));
            }
        }
    }

    /** {@code Gateway.callWithTools} of the same run on the governed gateway: four governed calls and three governed tool calls. */
    @Benchmark
    public LlmResponse e2_gateway_callWithTools(Frameworks f, Caller c) {
        return f.governed.callWithTools(Fixtures.toolRunCall(c.toolWorkflowId), Fixtures.TOOL_EXECUTOR);
    }

    /**
     * {@code e2} on a gateway whose tools run on the calling thread: {@code e2 − e3} is what
     * handing each tool call to the gateway's tool pool (and waiting for it) costs.
     */
    @Benchmark
    public LlmResponse e3_gateway_callWithTools_inlineTools(Frameworks f, Caller c) {
        return f.governedInlineTools.callWithTools(Fixtures.toolRunCall(c.toolWorkflowId), Fixtures.TOOL_EXECUTOR);
    }
}
