package dev.agentgateway.autoconfigure.stream;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.loop.LoopPattern;
import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** agent-gateway.stream.*: the stream time-out and the repetition rule, applied to the gateway and checked at start-up. */
class StreamPropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class))
            .withUserConfiguration(Models.class);

    /** "echo": says "I apologise. " again and again and never finishes. */
    @Configuration(proxyBeanMethods = false)
    static class Models {
        @Bean
        LlmClient echo() {
            return new LlmClient() {
                @Override
                public LlmResponse complete(LlmRequest request) {
                    throw new UnsupportedOperationException("streams only");
                }

                @Override
                public Flow.Publisher<LlmChunk> stream(LlmRequest request) {
                    return JdkFlowAdapter.publisherToFlowPublisher(Flux.range(0, 40).<LlmChunk>map(i -> LlmChunk.text("I apologise. "))
                            .concatWith(Flux.never()));
                }
            };
        }
    }

    private static Throwable streamEcho(Gateway gateway) {
        try {
            JdkFlowAdapter.flowPublisherToFlux(gateway.stream(GatewayCall.builder().agentId("a").provider("echo").model("m")
                    .user("hi").build())).blockLast(WAIT);
            return null;
        } catch (RuntimeException failure) {
            return failure;
        }
    }

    @Test
    void theStreamTimeOutCutsAStreamThatNeverFinishes() {
        runner.withPropertyValues("agent-gateway.stream.timeout=300ms").run(context -> {
            Gateway gateway = context.getBean(Gateway.class);

            assertThat(streamEcho(gateway)).isInstanceOf(ProviderTimeoutException.class);
            assertThat(gateway.getCallHistory("a", null)).singleElement()
                    .satisfies(record -> assertThat(record.response().finishReason()).isEqualTo("timeout"));
        });
    }

    @Test
    void theRepetitionRuleCutsAStreamThatRepeatsItself() {
        runner.withPropertyValues("agent-gateway.stream.repetition.enabled=true", "agent-gateway.stream.repetition.repeats=5")
                .run(context -> {
                    Gateway gateway = context.getBean(Gateway.class);

                    assertThat(streamEcho(gateway)).isInstanceOfSatisfying(LoopDetectedException.class,
                            loop -> assertThat(loop.pattern()).isEqualTo(LoopPattern.REPEATED_STREAM_OUTPUT));
                    assertThat(gateway.getCallHistory("a", null)).singleElement()
                            .satisfies(record -> assertThat(record.response().finishReason()).isEqualTo("repetition"));
                });
    }

    @Test
    void repetitionIsNotCheckedUnlessEnabled() {
        runner.withPropertyValues("agent-gateway.stream.timeout=300ms").run(context ->
                assertThat(streamEcho(context.getBean(Gateway.class))).isNotInstanceOf(LoopDetectedException.class));
    }

    @Test
    void aStreamTimeOutThatIsNotPositiveStopsStartUp() {
        runner.withPropertyValues("agent-gateway.stream.timeout=0s").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("stream.timeout")
                        .hasStackTraceContaining("must be a positive duration"));
    }

    @Test
    void aBlockRangeThatIsEmptyStopsStartUp() {
        runner.withPropertyValues("agent-gateway.stream.repetition.min-block-length=50",
                "agent-gateway.stream.repetition.max-block-length=10").run(context ->
                assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("max-block-length must be at least min-block-length"));
    }

    @Test
    void fewerThanTwoRepeatsStopsStartUp() {
        runner.withPropertyValues("agent-gateway.stream.repetition.repeats=1").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("stream.repetition.repeats"));
    }
}
