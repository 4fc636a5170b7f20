package dev.agentgateway.core.internal.stream;

import dev.agentgateway.core.stream.StreamEnd;
import dev.agentgateway.core.internal.stream.GovernedStream.Cut;
import dev.agentgateway.core.internal.stream.GovernedStream.Ending;
import dev.agentgateway.core.testsupport.ManualPublisher;
import dev.agentgateway.core.testsupport.ManualTimer;
import dev.agentgateway.core.testsupport.CollectingSubscriber;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Flow;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream machinery alone: demand, delivery order, and one settle for every way a stream ends. */
class GovernedStreamTest {

    /** Records what it metered and how it was settled; cuts at the first element the predicate matches. */
    static class TestGovernor implements GovernedStream.Governor<String, String> {
        final List<String> metered = new CopyOnWriteArrayList<>();
        final List<StreamEnd> settles = new CopyOnWriteArrayList<>();
        volatile Throwable settledCause;
        Predicate<String> cutAt = element -> false;
        RuntimeException cutError = new IllegalStateException("cut");
        Ending<String> ending = Ending.complete(null);

        @Override
        public Cut onElement(String element) {
            metered.add(element);
            return cutAt.test(element) ? new Cut(StreamEnd.OUTPUT_LIMIT, cutError) : null;
        }

        @Override
        public String deliver(String element) {
            return element.toUpperCase();
        }

        @Override
        public Ending<String> settle(StreamEnd end, Throwable cause) {
            settles.add(end);
            settledCause = cause;
            if (cause != null && end != StreamEnd.CANCELLED) {
                return Ending.failed(cause);
            }
            return ending;
        }
    }

    private final TestGovernor governor = new TestGovernor();
    private final ManualPublisher<String> provider = new ManualPublisher<>();

    private <T extends Flow.Subscriber<String>> GovernedStream<String, String> subscribe(T subscriber) {
        GovernedStream<String, String> stream = new GovernedStream<>(subscriber, governor);
        stream.start();
        provider.subscribe(stream);
        return stream;
    }

    @Test
    void theProviderIsAskedForExactlyWhatTheSubscriberRequested() {
        CollectingSubscriber<String> subscriber = new CollectingSubscriber<>(2);
        subscribe(subscriber);
        assertThat(provider.requested()).isEqualTo(2);

        subscriber.request(3);

        assertThat(provider.requested()).isEqualTo(5);
    }

    @Test
    void demandRequestedBeforeTheProviderIsSubscribedReachesItOnSubscription() {
        CollectingSubscriber<String> subscriber = new CollectingSubscriber<>(4);
        GovernedStream<String, String> stream = new GovernedStream<>(subscriber, governor);
        stream.start();
        assertThat(provider.subscribed()).isFalse();

        provider.subscribe(stream);

        assertThat(provider.requested()).isEqualTo(4);
    }

    @Test
    void elementsAreMeteredAndDeliveredInOrderAndCompletionSettlesOnce() {
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
        governor.ending = Ending.complete("last");
        subscribe(subscriber);

        provider.emit("a");
        provider.emit("b");
        provider.complete();

        assertThat(governor.metered).containsExactly("a", "b");
        assertThat(subscriber.elements()).containsExactly("A", "B", "last");
        assertThat(subscriber.completed()).isTrue();
        assertThat(governor.settles).containsExactly(StreamEnd.COMPLETED);
    }

    @Test
    void aProviderFailureHalfWayReachesTheSubscriberAfterTheElementsBeforeIt() {
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
        subscribe(subscriber);
        IllegalStateException dropped = new IllegalStateException("connection dropped");

        provider.emit("a");
        provider.fail(dropped);

        assertThat(subscriber.elements()).containsExactly("A");
        assertThat(subscriber.error()).isSameAs(dropped);
        assertThat(governor.settles).containsExactly(StreamEnd.FAILED);
        assertThat(governor.settledCause).isSameAs(dropped);
        assertThat(provider.cancelled()).isFalse();
    }

    @Test
    void aCancelCancelsTheProviderSettlesOnceAndDeliversNothingMore() {
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
        subscribe(subscriber);
        provider.emit("a");

        subscriber.cancel();
        subscriber.cancel();
        provider.emit("late");
        provider.complete();

        assertThat(provider.cancelled()).isTrue();
        assertThat(governor.settles).containsExactly(StreamEnd.CANCELLED);
        assertThat(governor.metered).containsExactly("a");
        assertThat(subscriber.elements()).containsExactly("A");
        assertThat(subscriber.terminated()).isFalse();
    }

    @Test
    void aCutByTheGovernorCancelsTheProviderAndFailsTheSubscriberAfterTheCuttingElement() {
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
        governor.cutAt = "b"::equals;
        subscribe(subscriber);

        provider.emit("a");
        provider.emit("b");
        provider.emit("c");

        assertThat(subscriber.elements()).containsExactly("A", "B");
        assertThat(subscriber.error()).isSameAs(governor.cutError);
        assertThat(provider.cancelled()).isTrue();
        assertThat(governor.metered).containsExactly("a", "b");
        assertThat(governor.settles).containsExactly(StreamEnd.OUTPUT_LIMIT);
    }

    @Test
    void aCutFromAnotherThreadFailsTheSubscriberAfterTheLastDeliveredElement() throws Exception {
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
        GovernedStream<String, String> stream = subscribe(subscriber);
        provider.emit("a");
        IllegalStateException stopped = new IllegalStateException("stopped by an operator");

        Thread operator = new Thread(() -> stream.cut(new Cut(StreamEnd.STOPPED, stopped)));
        operator.start();
        operator.join();

        assertThat(subscriber.elements()).containsExactly("A");
        assertThat(subscriber.error()).isSameAs(stopped);
        assertThat(provider.cancelled()).isTrue();
        assertThat(governor.settles).containsExactly(StreamEnd.STOPPED);
    }

    @Test
    void aDeadlineCutsAStreamThatIsStillRunning() {
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
        GovernedStream<String, String> stream = subscribe(subscriber);
        ManualTimer timer = new ManualTimer();
        IllegalStateException late = new IllegalStateException("too late");
        stream.deadline(timer, Duration.ofSeconds(5), () -> new Cut(StreamEnd.TIMED_OUT, late));
        provider.emit("a");

        timer.fireAll();

        assertThat(subscriber.elements()).containsExactly("A");
        assertThat(subscriber.error()).isSameAs(late);
        assertThat(governor.settles).containsExactly(StreamEnd.TIMED_OUT);
        assertThat(timer.tasks()).singleElement().extracting(ManualTimer.Task::delay).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aStreamThatEndsCancelsItsDeadline() {
        GovernedStream<String, String> stream = subscribe(CollectingSubscriber.unbounded());
        ManualTimer timer = new ManualTimer();
        stream.deadline(timer, Duration.ofSeconds(5), () -> new Cut(StreamEnd.TIMED_OUT, new IllegalStateException()));

        provider.complete();

        assertThat(timer.tasks()).singleElement().extracting(ManualTimer.Task::cancelled).isEqualTo(true);
        assertThat(governor.settles).containsExactly(StreamEnd.COMPLETED);
    }

    @Test
    void aSubscriberThatThrowsHasCancelled() {
        IllegalStateException thrown = new IllegalStateException("subscriber bug");
        CollectingSubscriber<String> subscriber = new CollectingSubscriber<>(Long.MAX_VALUE) {
            @Override
            public void onNext(String item) {
                throw thrown;
            }
        };
        subscribe(subscriber);

        provider.emit("a");
        provider.emit("b");

        assertThat(provider.cancelled()).isTrue();
        assertThat(governor.settles).containsExactly(StreamEnd.CANCELLED);
        assertThat(governor.settledCause).isSameAs(thrown);
        assertThat(subscriber.terminated()).isFalse();
    }

    @Test
    void aNonPositiveRequestFailsTheStreamAndCancelsTheProvider() {
        CollectingSubscriber<String> subscriber = new CollectingSubscriber<>(0);
        subscribe(subscriber);

        subscriber.request(0);

        assertThat(subscriber.error()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
        assertThat(provider.cancelled()).isTrue();
        assertThat(governor.settles).containsExactly(StreamEnd.CANCELLED);
    }

    @Test
    void aSettleThatFailsEndsTheSubscriberWithItsError() {
        CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
        IllegalStateException broken = new IllegalStateException("history store down");
        GovernedStream<String, String> stream = new GovernedStream<>(subscriber, new TestGovernor() {
            @Override
            public Ending<String> settle(StreamEnd end, Throwable cause) {
                throw broken;
            }
        });
        stream.start();
        provider.subscribe(stream);

        provider.complete();

        assertThat(subscriber.error()).isSameAs(broken);
    }

    @Test
    void aSlowSubscriberGetsOneElementPerRequestAndTheProviderIsAskedForNoMore() {
        CollectingSubscriber<String> subscriber = new CollectingSubscriber<>(1);
        subscribe(subscriber);
        provider.emit("a");
        assertThat(provider.requested()).isEqualTo(1);

        subscriber.request(1);
        provider.emit("b");

        assertThat(provider.requested()).isEqualTo(2);
        assertThat(subscriber.elements()).containsExactly("A", "B");
    }

    @Test
    void aCancelRacingCompletionSettlesExactlyOnce() throws Exception {
        for (int round = 0; round < 500; round++) {
            TestGovernor racing = new TestGovernor();
            ManualPublisher<String> source = new ManualPublisher<>();
            CollectingSubscriber<String> subscriber = CollectingSubscriber.unbounded();
            GovernedStream<String, String> stream = new GovernedStream<>(subscriber, racing);
            stream.start();
            source.subscribe(stream);
            source.emit("a");
            CyclicBarrier start = new CyclicBarrier(3);
            Thread completer = new Thread(() -> {
                await(start);
                source.complete();
            });
            Thread canceller = new Thread(() -> {
                await(start);
                subscriber.cancel();
            });
            Thread cutter = new Thread(() -> {
                await(start);
                stream.cut(new Cut(StreamEnd.TIME_LIMIT, new IllegalStateException("time")));
            });
            completer.start();
            canceller.start();
            cutter.start();
            completer.join();
            canceller.join();
            cutter.join();

            assertThat(racing.settles).hasSize(1);
            assertThat(subscriber.signalsAfterTerminal()).isZero();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
