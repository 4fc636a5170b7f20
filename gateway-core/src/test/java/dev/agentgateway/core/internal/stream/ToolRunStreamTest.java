package dev.agentgateway.core.internal.stream;

import dev.agentgateway.core.provider.LlmChunk;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.testsupport.CollectingSubscriber;
import dev.agentgateway.core.testsupport.ListPublisher;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

import static org.assertj.core.api.Assertions.assertThat;

/** A tool-calling run as one stream: turns in order, tools between them, one final answer with the totals. */
class ToolRunStreamTest {

    private static final ToolCall LOOKUP = new ToolCall("call_1", "lookup", "{\"q\":\"x\"}");
    private static final LlmResponse ASKS_FOR_TOOL = new LlmResponse(null, List.of(LOOKUP), 10, 4, new BigDecimal("0.001"),
            "m", "mock", 0, "tool_calls");
    private static final LlmResponse ANSWERS = new LlmResponse("Found it.", List.of(), 20, 3, new BigDecimal("0.002"), "m",
            "mock", 0, "stop");

    /** Turn 1 asks for the tool, turn 2 answers; each turn's stream ends in its Completed. */
    final class TwoTurns implements ToolRunStream.Turns {
        final List<ListPublisher<StreamEvent>> opened = new CopyOnWriteArrayList<>();
        final List<String> toolThreads = new CopyOnWriteArrayList<>();
        RuntimeException secondTurnFailure;

        @Override
        public Flow.Publisher<StreamEvent> open(int turn) {
            List<StreamEvent> events = new ArrayList<>();
            if (turn == 1) {
                events.add(new StreamEvent.Output(LlmChunk.toolCall(0, "call_1", "lookup", "{\"q\":\"x\"}"), 1));
                events.add(StreamEvent.Completed.of(ASKS_FOR_TOOL));
            } else {
                events.add(new StreamEvent.Output(LlmChunk.text("Found "), 2));
                events.add(new StreamEvent.Output(LlmChunk.text("it."), 2));
                if (secondTurnFailure == null) {
                    events.add(StreamEvent.Completed.of(ANSWERS));
                }
            }
            ListPublisher<StreamEvent> stream = new ListPublisher<>(events, turn == 2 ? secondTurnFailure : null);
            opened.add(stream);
            return stream;
        }

        @Override
        public LlmResponse afterTurn(int turn, LlmResponse answer, ToolRunStream.ToolEvents events) {
            if (!answer.hasToolCalls()) {
                return answer;
            }
            for (ToolCall call : answer.toolCalls()) {
                toolThreads.add(Thread.currentThread().getName());
                events.started(call);
                events.finished(call, "42");
            }
            return null;
        }
    }

    private final TwoTurns turns = new TwoTurns();
    private final Executor toolPool = task -> {
        Thread thread = new Thread(task, "tool-pool");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    };

    @Test
    void eachTurnStreamsThenItsToolsAreEventsThenOneCompletedCarriesTheRunsTotals() {
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        new ToolRunStream(turns, toolPool).subscribe(subscriber);

        assertThat(subscriber.elements()).map(event -> event.getClass().getSimpleName())
                .containsExactly("Output", "ToolStarted", "ToolFinished", "Output", "Output", "Completed");
        StreamEvent.Completed completed = (StreamEvent.Completed) subscriber.elements().get(5);
        assertThat(completed.response()).isEqualTo(ANSWERS);
        assertThat(completed.steps()).isEqualTo(2);
        assertThat(completed.totalCost()).isEqualByComparingTo("0.003");
        assertThat(completed.inputTokens()).isEqualTo(30);
        assertThat(completed.outputTokens()).isEqualTo(7);
        assertThat(subscriber.completed()).isTrue();
        assertThat(subscriber.signalsAfterTerminal()).isZero();
    }

    @Test
    void toolsRunOnTheToolExecutorNotOnTheProvidersThread() {
        new ToolRunStream(turns, toolPool).subscribe(CollectingSubscriber.unbounded());

        assertThat(turns.toolThreads).containsExactly("tool-pool");
    }

    @Test
    void aSubscriberThatRequestsOneAtATimeGetsOneEventPerRequest() {
        CollectingSubscriber<StreamEvent> subscriber = new CollectingSubscriber<>(1);
        new ToolRunStream(turns, toolPool).subscribe(subscriber);
        assertThat(subscriber.elements()).hasSize(1);

        for (int expected = 2; expected <= 6; expected++) {
            subscriber.request(1);
            assertThat(subscriber.elements()).hasSize(expected);
        }
        assertThat(subscriber.completed()).isTrue();
    }

    @Test
    void aCancelDuringATurnCancelsItsStreamAndOpensNoFurtherTurn() {
        CollectingSubscriber<StreamEvent> subscriber = new CollectingSubscriber<>(4);
        new ToolRunStream(turns, toolPool).subscribe(subscriber);
        assertThat(turns.opened).hasSize(2);

        subscriber.cancel();
        subscriber.request(10);

        assertThat(turns.opened.get(1).cancelled()).isTrue();
        assertThat(subscriber.elements()).hasSize(4);
        assertThat(subscriber.terminated()).isFalse();
    }

    @Test
    void aTurnThatFailsEndsTheRunWithItsErrorAfterTheEventsBeforeIt() {
        turns.secondTurnFailure = new ProviderServerException("mock", 500, "overloaded", null);
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        new ToolRunStream(turns, toolPool).subscribe(subscriber);

        assertThat(subscriber.elements()).hasSize(5);
        assertThat(subscriber.error()).isSameAs(turns.secondTurnFailure);
    }

    @Test
    void aTurnRefusedBeforeItStreamsEndsTheRunWithTheRefusal() {
        IllegalStateException refused = new IllegalStateException("budget");
        ToolRunStream.Turns refusing = new ToolRunStream.Turns() {
            @Override
            public Flow.Publisher<StreamEvent> open(int turn) {
                throw refused;
            }

            @Override
            public LlmResponse afterTurn(int turn, LlmResponse answer, ToolRunStream.ToolEvents events) {
                return answer;
            }
        };
        CollectingSubscriber<StreamEvent> subscriber = CollectingSubscriber.unbounded();

        new ToolRunStream(refusing, toolPool).subscribe(subscriber);

        assertThat(subscriber.elements()).isEmpty();
        assertThat(subscriber.error()).isSameAs(refused);
    }
}
