package dev.agentgateway.bench;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * What governing a stream costs when the model streams instantly: one whole stream of
 * {@code pieces} text chunks (then a finish and a usage chunk), raw and through the gateway, on
 * the gateway's own API ({@code s1} raw client, {@code s2} {@code Gateway.stream} of the governed
 * gateway of {@code b2}) and on Spring AI's ChatClient ({@code s3} without, {@code s4} with
 * {@code GatewayAdvisor} over that gateway). With {@code pieces} 1 and 100 the added cost splits
 * into a fixed part (admit, reserve, hooks, settle, record: an upper bound of what the gateway adds
 * before the first token, since it includes the settle after the last) and a part per chunk:
 * {@code ((s2@100 - s1@100) - (s2@1 - s1@1)) / 99}. Prompts alternate as in {@link CallOverhead},
 * so loop detection sees a changing answer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class StreamOverhead {

    @Param({"1", "100"})
    int pieces;

    LlmClient client;
    Gateway governed;
    ChatClient chatClient;
    ChatClient chatClientGoverned;
    private boolean flip;

    @Setup(Level.Trial)
    public void setUp() {
        client = new StreamingNoopClient(pieces);
        governed = Fixtures.governedBuilder(Integer.getInteger("bench.historyCapacity", 10_000), null)
                .provider(Fixtures.PROVIDER, client).build();
        ChatModel model = new StreamingNoopChatModel(pieces);
        chatClient = ChatClient.builder(model).build();
        chatClientGoverned = ChatClient.builder(model)
                .defaultAdvisors(GatewayAdvisor.builder(governed).agentId(Fixtures.AGENT).defaultModel(Fixtures.MODEL).build())
                .build();
        if (last(s2_gateway_stream()) == null || s4_chatclient_governed() == null) {
            throw new IllegalStateException("a governed stream did not complete");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        governed.close();
    }

    private String prompt() {
        flip = !flip;
        return flip ? Fixtures.PROMPT_A : "What is the capital of Germany?";
    }

    private static <T> T last(List<T> elements) {
        return elements == null || elements.isEmpty() ? null : elements.get(elements.size() - 1);
    }

    @Benchmark
    public LlmChunk s1_client_stream() {
        return JdkFlowAdapter.flowPublisherToFlux(client.stream(Fixtures.request(prompt()))).blockLast();
    }

    @Benchmark
    public List<StreamEvent> s2_gateway_stream() {
        GatewayCall call = Fixtures.governedCall(prompt(), null);
        return JdkFlowAdapter.flowPublisherToFlux(governed.stream(call)).collectList().block();
    }

    @Benchmark
    public ChatClientResponse s3_chatclient_stream() {
        return chatClient.prompt().user(prompt()).stream().chatClientResponse().blockLast();
    }

    @Benchmark
    public ChatClientResponse s4_chatclient_governed() {
        return chatClientGoverned.prompt().user(prompt()).stream().chatClientResponse().blockLast();
    }

    /** Streams the answer to the prompt in {@code pieces} text chunks built in advance, then finish and usage. */
    static final class StreamingNoopClient implements LlmClient {
        private final List<LlmChunk> a;
        private final List<LlmChunk> b;

        StreamingNoopClient(int pieces) {
            this.a = chunks(pieces, "a");
            this.b = chunks(pieces, "b");
        }

        private static List<LlmChunk> chunks(int pieces, String answer) {
            List<LlmChunk> chunks = new ArrayList<>(pieces + 2);
            for (int i = 0; i < pieces; i++) {
                chunks.add(LlmChunk.text(" " + answer + i));
            }
            chunks.add(LlmChunk.finish("stop"));
            chunks.add(LlmChunk.usage(12, pieces * 2L));
            return List.copyOf(chunks);
        }

        @Override
        public LlmResponse complete(LlmRequest request) {
            throw new UnsupportedOperationException("streams only");
        }

        @Override
        public Flow.Publisher<LlmChunk> stream(LlmRequest request) {
            List<LlmChunk> answer = request.lastUserMessage() == Fixtures.PROMPT_A ? a : b;
            return JdkFlowAdapter.publisherToFlowPublisher(Flux.fromIterable(answer));
        }
    }

    /** Spring AI's counterpart: {@code pieces} text responses, then one with the finish reason and usage. */
    static final class StreamingNoopChatModel implements ChatModel {
        private final List<ChatResponse> a;
        private final List<ChatResponse> b;

        StreamingNoopChatModel(int pieces) {
            this.a = responses(pieces, "a");
            this.b = responses(pieces, "b");
        }

        private static List<ChatResponse> responses(int pieces, String answer) {
            List<ChatResponse> responses = new ArrayList<>(pieces + 1);
            ChatResponseMetadata metadata = ChatResponseMetadata.builder().model(Fixtures.MODEL).build();
            for (int i = 0; i < pieces; i++) {
                responses.add(new ChatResponse(List.of(new Generation(new AssistantMessage(" " + answer + i))), metadata));
            }
            responses.add(new ChatResponse(List.of(new Generation(new AssistantMessage(""),
                    ChatGenerationMetadata.builder().finishReason("STOP").build())),
                    ChatResponseMetadata.builder().model(Fixtures.MODEL).usage(new DefaultUsage(12, pieces * 2)).build()));
            return List.copyOf(responses);
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            throw new UnsupportedOperationException("streams only");
        }

        @Override
        public Flux<ChatResponse> stream(Prompt prompt) {
            List<Message> messages = prompt.getInstructions();
            return Flux.fromIterable(Fixtures.PROMPT_A.equals(messages.get(messages.size() - 1).getText()) ? a : b);
        }
    }
}
