package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.spring.chatclient.StreamingNotGovernedException;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.limits.ExecutionLimits;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Until the core governs streams, a ChatClient stream through the advisor is refused before the model. */
class GatewayAdvisorStreamTest {

    /** A ChatModel that would stream "po", "ng" without any limit; counts how often it is asked. */
    static final class StreamingModel implements ChatModel {
        final AtomicInteger streams = new AtomicInteger();
        final AtomicInteger subscriptions = new AtomicInteger();

        @Override
        public ChatResponse call(Prompt prompt) {
            return chunk("pong");
        }

        @Override
        public Flux<ChatResponse> stream(Prompt prompt) {
            streams.incrementAndGet();
            return Flux.just(chunk("po"), chunk("ng")).doOnSubscribe(subscription -> subscriptions.incrementAndGet());
        }

        private static ChatResponse chunk(String text) {
            return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
        }
    }

    private final StreamingModel model = new StreamingModel();
    private final Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxSteps(5).build()).build();
    private final ChatClient client = ChatClient.builder(model)
            .defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").build()).build();

    @Test
    void aStreamThroughTheAdvisorNeverReachesTheModel() {
        Flux<String> stream = client.prompt().user("ping").stream().content();

        assertThatThrownBy(stream::blockLast).isInstanceOf(StreamingNotGovernedException.class);
        assertThat(model.streams).hasValue(0);
        assertThat(model.subscriptions).hasValue(0);
    }

    @Test
    void theRefusalSaysWhatToDoInstead() {
        assertThatThrownBy(() -> client.prompt().user("ping").stream().chatResponse().blockLast())
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("agent 'assistant'")
                .hasMessageContaining(".call()");
    }

    @Test
    void aRefusedStreamReservesAndChargesNothing() {
        assertThatThrownBy(() -> client.prompt().user("ping").stream().content().blockLast())
                .isInstanceOf(StreamingNotGovernedException.class);

        assertThat(gateway.metrics().totalSteps()).isZero();
        assertThat(gateway.metrics().totalCost()).isZero();
        assertThat(client.prompt().user("ping").call().content()).isEqualTo("pong");
    }
}
