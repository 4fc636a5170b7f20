package dev.agentgateway.bench;

import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.spring.persistence.JpaCallHistoryStore;
import dev.agentgateway.spring.provider.openai.OpenAiLlmClientFactory;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.provider.ToolSpec;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.util.json.JsonParser;
import org.springframework.context.ConfigurableApplicationContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
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
 * {@code b_*} our gateway, {@code h_*} OpenAI over HTTP against a local stub, {@code c_*} Spring AI, {@code d_*} LangChain4j, {@code e_*} tool runs.
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
                    .defaultAdvisors(GatewayAdvisor.builder(governed).agentId(Fixtures.AGENT).defaultModel(Fixtures.MODEL).build())
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

    /**
     * {@code b3}: the governed gateway of {@code b2} whose history goes to H2 through the starter's
     * JPA store (asynchronous: the caller only queues the record; a writer thread stores batches).
     * The store comes from a minimal Spring Boot context ({@link H2HistoryContext}) started once per
     * fork. After each iteration the queue is flushed and the tables are emptied (outside the
     * measurement), so no iteration inherits the previous one's backlog and the in-memory database
     * stays small; what the writer did during the iteration is printed (records, backlog left,
     * the writer thread's CPU per record).
     */
    @State(Scope.Benchmark)
    public static class H2History {
        ConfigurableApplicationContext context;
        JpaCallHistoryStore store;
        Gateway governed;
        private long writtenBefore;
        private long writerCpuBefore;

        @Setup(Level.Trial)
        public void setUp() {
            context = H2HistoryContext.start();
            store = (JpaCallHistoryStore) context.getBean(CallHistoryStore.class);
            governed = Fixtures.governedBuilder(Integer.getInteger("bench.historyCapacity", 10_000), null)
                    .historyStore(store)
                    .build();
            Sanity.checkH2(this);
            writtenBefore = store.writtenCount();
            writerCpuBefore = writerCpu();
        }

        @TearDown(Level.Iteration)
        public void flush() {
            int backlog = store.queueDepth();
            store.flush();
            long written = store.writtenCount() - writtenBefore;
            long cpu = writerCpu() - writerCpuBefore;
            System.out.printf(Locale.ROOT, "  [h2 history] %,d records written this iteration, %,d queued at its end, "
                    + "writer thread CPU %,.0f ns/record, %,d dropped, %,d failed in all%n", written, backlog,
                    written == 0 ? 0.0 : (double) cpu / written, store.droppedCount(), store.failedCount());
            store.clear();
            writtenBefore = store.writtenCount();
            writerCpuBefore = writerCpu();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            governed.close();
            context.close();
        }

        private static long writerCpu() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if ("agent-gateway-history-writer".equals(thread.getName())) {
                    return threads.getThreadCpuTime(thread.getId());
                }
            }
            return 0;
        }
    }

    /**
     * {@code h1..h3}: one OpenAI chat completion over HTTP against {@link OpenAiStub} on
     * 127.0.0.1, which answers at once. {@code raw} is Spring AI's {@code OpenAiChatModel} built as
     * a Spring AI user builds it; {@code adapter} is the gateway's OpenAI provider
     * ({@code OpenAiLlmClientFactory}) over the same stub; {@code governed} is the gateway of
     * {@code b2} with that adapter as provider {@code openai}. Every request is the same: model
     * {@code gpt-4o-mini}, one user message, {@code max_completion_tokens} 256, the two tools of a
     * governed call; no SDK retries.
     */
    @State(Scope.Benchmark)
    public static class OpenAiHttp {
        static final String API_KEY = "sk-bench";
        static final String PROVIDER = "openai";
        OpenAiStub stub;
        ChatModel raw;
        LlmClient adapter;
        Gateway governed;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            stub = new OpenAiStub();
            List<ToolCallback> tools = new ArrayList<>();
            for (ToolSpec spec : Fixtures.offeredTools()) {
                ToolDefinition definition = ToolDefinition.builder().name(spec.name()).description(spec.description())
                        .inputSchema(JsonParser.toJson(spec.parameters())).build();
                tools.add(new ToolCallback() {
                    @Override
                    public ToolDefinition getToolDefinition() {
                        return definition;
                    }

                    @Override
                    public String call(String toolInput) {
                        throw new UnsupportedOperationException("definitions only: the stub never asks for a tool");
                    }
                });
            }
            raw = OpenAiChatModel.builder().options(OpenAiChatOptions.builder()
                    .baseUrl(stub.baseUrl()).apiKey(API_KEY).model(Fixtures.MODEL).maxRetries(0)
                    .maxCompletionTokens(Fixtures.MAX_TOKENS).toolCallbacks(tools).build()).build();
            adapter = new OpenAiLlmClientFactory(OpenAiLlmClientFactory.Flavor.OPENAI, () -> null)
                    .create(API_KEY, Map.of("base-url", stub.baseUrl(), "model", Fixtures.MODEL));
            governed = Fixtures.governedBuilder(Integer.getInteger("bench.historyCapacity", 10_000), null)
                    .provider(PROVIDER, adapter)
                    .build();
            Sanity.checkHttp(this);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            governed.close();
            stub.close();
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

    /**
     * {@code b2} with the history persisted to H2 asynchronously through the starter's JPA store
     * ({@code JpaCallHistoryStore}): the caller queues the record, a writer thread stores it.
     */
    @Benchmark
    public LlmResponse b3_gateway_governed_h2(H2History h, Caller c) {
        return h.governed.call(Fixtures.governedCall(c.nextPrompt(), c.workflowId));
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

    // ---- over HTTP: OpenAI chat completions against a local stub ------------------------------------

    /** The HTTP baseline: Spring AI's {@code OpenAiChatModel.call(Prompt)} against the stub, as a Spring AI user calls it. */
    @Benchmark
    public ChatResponse h1_springAi_openAi_http(OpenAiHttp h, Caller c) {
        return h.raw.call(new Prompt(c.nextPrompt()));
    }

    /** The same completion through the governed gateway ({@code b2}'s governance) and its OpenAI adapter. */
    @Benchmark
    public LlmResponse h2_gateway_openAi_http(OpenAiHttp h, Caller c) {
        return h.governed.call(Fixtures.governedCall(c.nextPrompt(), c.workflowId, OpenAiHttp.PROVIDER));
    }

    /** The gateway's OpenAI adapter alone ({@code LlmClient.complete}, no gateway): {@code h2 − h3} is governance, {@code h3 − h1} the adapter. */
    @Benchmark
    public LlmResponse h3_openAiAdapter_direct_http(OpenAiHttp h, Caller c) {
        return h.adapter.complete(new LlmRequest(OpenAiHttp.PROVIDER, Fixtures.MODEL, List.of(LlmMessage.user(c.nextPrompt())),
                Fixtures.offeredTools(), null, Fixtures.MAX_TOKENS));
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
