package dev.agentgateway.autoconfigure.agent;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.fixtures.streaming.Miscast;
import dev.agentgateway.fixtures.streaming.Narrator;
import dev.agentgateway.fixtures.streaming.StreamingApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An {@code @Agent} interface method returning a {@code Flux} streams a governed run. */
class StreamingAgentTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class))
            .withUserConfiguration(StreamingApplication.class);

    @Test
    void aFluxOfStringIsTheAnswersTextAsItArrivesRecordedAsOneCall() {
        runner.run(context -> {
            List<String> pieces = context.getBean(Narrator.class).tell("a story").collectList().block(WAIT);

            assertThat(pieces).hasSizeGreaterThan(1);
            assertThat(String.join("", pieces)).isEqualTo(StreamingApplication.STORY);
            assertThat(context.getBean(Gateway.class).getCallHistory("narrator", null)).singleElement().satisfies(record -> {
                assertThat(record.success()).isTrue();
                assertThat(record.response().content()).isEqualTo(StreamingApplication.STORY);
            });
        });
    }

    @Test
    void nothingIsAskedOfTheModelBeforeTheFluxIsSubscribedAndEachSubscriberIsOneRun() {
        runner.run(context -> {
            ScriptedLlmClient model = context.getBean(ScriptedLlmClient.class);
            Flux<String> story = context.getBean(Narrator.class).tell("a story");

            assertThat(model.requestCount()).isZero();
            story.blockLast(WAIT);
            story.blockLast(WAIT);
            assertThat(model.requestCount()).isEqualTo(2);
            assertThat(context.getBean(Gateway.class).getCallHistory("narrator", null)).hasSize(2);
        });
    }

    @Test
    void aFluxOfEventsRunsTheToolsBetweenTurnsAndEndsWithTheRunsSettledTotals() {
        runner.run(context -> {
            List<StreamEvent> events = context.getBean(Narrator.class).research("What is the weather in Oslo?", "run-1")
                    .collectList().block(WAIT);

            assertThat(events).filteredOn(StreamEvent.ToolStarted.class::isInstance).singleElement()
                    .satisfies(started -> assertThat(((StreamEvent.ToolStarted) started).call().name()).isEqualTo("look_up"));
            assertThat(events).filteredOn(StreamEvent.ToolFinished.class::isInstance).singleElement()
                    .satisfies(finished -> assertThat(((StreamEvent.ToolFinished) finished).result()).contains("sunny in Oslo"));
            String text = String.join("", events.stream().map(StreamEvent::text).filter(t -> t != null).toList());
            assertThat(text).isEqualTo("It is sunny in Oslo.");
            assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(StreamEvent.Completed.class, completed -> {
                List<CallRecord> history = context.getBean(Gateway.class).getCallHistory("narrator", null);
                assertThat(completed.steps()).isEqualTo(2);
                assertThat(history).hasSize(2).allSatisfy(record -> assertThat(record.workflowId()).isEqualTo("run-1"));
                assertThat(completed.totalCost()).isEqualByComparingTo(
                        history.stream().map(CallRecord::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
            });
            assertThat(context.getBean(StreamingApplication.LookUp.class).calls).hasValue(1);
        });
    }

    @Test
    void cancellingTheFluxCancelsTheGovernedStreamWhichIsChargedWhatArrived() {
        runner.run(context -> {
            List<String> pieces = context.getBean(Narrator.class).tell("a story").take(2).collectList().block(WAIT);

            assertThat(pieces).hasSize(2);
            assertThat(context.getBean(ScriptedLlmClient.class).cancelledStreams()).isEqualTo(1);
            assertThat(context.getBean(Gateway.class).getCallHistory("narrator", null)).singleElement().satisfies(record -> {
                assertThat(record.success()).isFalse();
                assertThat(record.response().finishReason()).isEqualTo("cancelled");
                assertThat(record.response().content()).isEqualTo(String.join("", pieces));
                assertThat(record.outputTokens()).isPositive(); // counted: the scripted model is unpriced
            });
        });
    }

    @Test
    void theLimitsRefuseAStreamingMethodBeforeTheModelIsAsked() {
        runner.withPropertyValues("agent-gateway.limits.max-steps=1").run(context -> {
            Narrator narrator = context.getBean(Narrator.class);
            narrator.tell("a story").blockLast(WAIT);

            assertThatThrownBy(() -> narrator.tell("another story").blockLast(WAIT))
                    .isInstanceOf(StepLimitExceededException.class);
            assertThat(context.getBean(ScriptedLlmClient.class).requestCount()).isEqualTo(1);
        });
    }

    @Test
    void aFluxOfAnythingElseIsRefusedWithTheTypesAnAgentCanStream() {
        runner.run(context -> assertThatThrownBy(() -> context.getBean(Miscast.class).count("sheep"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Flux<java.lang.Integer>")
                .hasMessageContaining("Flux<String>")
                .hasMessageContaining("Flux<StreamEvent>"));
    }
}
