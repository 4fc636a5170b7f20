package dev.agentgateway.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.provider.CallStrategy;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.MockStream;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.StreamingNotSupportedException;
import dev.agentgateway.core.testsupport.CollectingSubscriber;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A framework's own stream ({@link StreamSource}) under a call strategy that falls back to another
 * provider: that provider's chunks cannot become the framework's elements, so the fallback is a
 * typed refusal, recorded, with nothing left reserved — never a ClassCastException in the framework.
 */
class StreamSourceFallbackTest {

    private static final String MODEL = "gpt-4o-mini";

    private Gateway gateway;

    @AfterEach
    void close() {
        gateway.close();
    }

    /** Falls back to provider "backup" when the primary fails, as a circuit breaker's fallback does. */
    private static final CallStrategy FALL_BACK_TO_BACKUP = new CallStrategy() {
        @Override
        public <T> T execute(CallTarget primary, Attempt<T> attempt) {
            try {
                return attempt.run(primary);
            } catch (ProviderException down) {
                return attempt.run(primary.fallback("backup", MODEL));
            }
        }
    };

    /** A framework stream whose opening fails, as a provider that is down makes it fail. */
    private static final class FailingSource implements StreamSource<String> {
        @Override
        public Flow.Publisher<String> open(LlmRequest request) {
            throw new ProviderServerException("mock", 503, "down", null);
        }

        @Override
        public List<LlmChunk> chunks(String element) {
            return List.of(LlmChunk.text(element));
        }
    }

    @Test
    void aFallbackToAnotherProviderIsRefusedTypedAndRecordedNotHandedToTheFrameworksReader() {
        MockLlmClient backup = MockLlmClient.builder().defaultResponse("from backup").streaming(MockStream.DEFAULT).build();
        gateway = Gateway.builder()
                .limits(ExecutionLimits.builder().maxBudget("10").build())
                .callStrategy(FALL_BACK_TO_BACKUP)
                .provider("mock", MockLlmClient.answering("unused"))
                .provider("backup", backup)
                .build();
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();

        gateway.stream(GatewayCall.builder().agentId("analyst").provider("mock").model(MODEL).user("hi").build(),
                new FailingSource()).subscribe(subscriber);

        subscriber.awaitTerminationQuietly();
        assertThat(subscriber.error()).isInstanceOf(StreamingNotSupportedException.class)
                .hasMessageContaining("fallback to provider 'backup'")
                .hasMessageContaining("other models of provider 'mock'");
        assertThat(subscriber.elements()).isEmpty();
        assertThat(backup.requests()).isEmpty();
        assertThat(gateway.getCallHistory(null, null)).extracting(r -> r.provider() + "#" + r.attempt() + ":" + r.success())
                .containsExactly("mock#1:false", "backup#2:false");
        assertThat(gateway.usage(LimitScope.global()).reservedCost()).isEqualByComparingTo("0");
    }
}
