package dev.agentgateway.core.internal.stream;

import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.stream.StreamEvent;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tool-calling run as one stream: the governed stream of each turn in turn, its chunks handed on
 * as they arrive; between turns the tools the model asked for run on the tool executor (never on
 * the provider's thread), each start and finish an event; last, one {@link StreamEvent.Completed}
 * with the run's totals. A turn's own {@code Completed} is kept back: it tells the run what the
 * model answered. The subscriber's demand reaches the turn's stream as it is requested; events of
 * the run's own wait in the queue for demand, so the queue holds at most those.
 *
 * <p>A cancel cancels the turn that streams (which settles it) and starts no further turn; tools
 * already running finish, and their results are checkpointed as usual.
 */
public final class ToolRunStream implements Flow.Publisher<StreamEvent> {

    /** The run's turns: opening each one's governed stream, and what happens between them. */
    public interface Turns {

        /** The governed stream of provider call {@code turn} (from 1); its last event is a {@code Completed}. */
        Flow.Publisher<StreamEvent> open(int turn);

        /**
         * What follows turn {@code turn}'s settled answer, on the tool executor: the tools it asked for
         * run (each told to {@code events}) and null returned, so that the next turn opens; or the
         * run's final answer returned, which ends it.
         */
        LlmResponse afterTurn(int turn, LlmResponse answer, ToolEvents events);
    }

    /** Where a turn's tools report. */
    public interface ToolEvents {
        void started(ToolCall call);

        void finished(ToolCall call, String result);
    }

    private final Turns turns;
    private final Executor toolExecutor;

    public ToolRunStream(Turns turns, Executor toolExecutor) {
        this.turns = Objects.requireNonNull(turns, "turns");
        this.toolExecutor = Objects.requireNonNull(toolExecutor, "toolExecutor");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super StreamEvent> subscriber) {
        Run run = new Run(Objects.requireNonNull(subscriber, "subscriber"));
        subscriber.onSubscribe(run);
        run.open(1);
    }

    private final class Run implements Flow.Subscription {
        private final Flow.Subscriber<? super StreamEvent> downstream;
        private final Queue<StreamEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile Flow.Subscription turnSubscription;
        private volatile boolean cancelled;
        private volatile boolean done;
        private volatile Throwable error;
        private BigDecimal totalCost = BigDecimal.ZERO; // the turns run one after another: no two threads at once
        private long inputTokens;
        private long outputTokens;

        Run(Flow.Subscriber<? super StreamEvent> downstream) {
            this.downstream = downstream;
        }

        void open(int turn) {
            if (cancelled || done) {
                return;
            }
            Flow.Publisher<StreamEvent> stream;
            try {
                stream = turns.open(turn);
            } catch (RuntimeException | Error refused) {
                fail(refused);
                return;
            }
            stream.subscribe(new TurnSubscriber(turn));
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                Flow.Subscription turn = turnSubscription;
                if (turn != null) {
                    turn.cancel();
                }
                queue.clear();
                fail(new IllegalArgumentException("request(n) needs a positive n, was " + n + " (Reactive Streams rule 3.9)"));
                return;
            }
            add(requested, n);
            Flow.Subscription turn = turnSubscription;
            if (turn != null) {
                turn.request(n);
            }
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            Flow.Subscription turn = turnSubscription;
            if (turn != null) {
                turn.cancel();
            }
        }

        void emit(StreamEvent event) {
            queue.offer(event);
            drain();
        }

        void fail(Throwable failure) {
            error = failure;
            done = true;
            drain();
        }

        void finish(LlmResponse answer, int steps) {
            queue.offer(new StreamEvent.Completed(answer, steps, totalCost, inputTokens, outputTokens));
            done = true;
            drain();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            while (true) {
                if (cancelled) {
                    queue.clear();
                    return;
                }
                while (requested.get() > 0 && !queue.isEmpty()) {
                    StreamEvent event = queue.poll();
                    if (requested.get() != Long.MAX_VALUE) {
                        requested.decrementAndGet();
                    }
                    downstream.onNext(event);
                    if (cancelled) {
                        queue.clear();
                        return;
                    }
                }
                if (done && queue.isEmpty()) {
                    cancelled = true; // nothing after the terminal signal
                    Throwable failure = error;
                    if (failure != null) {
                        downstream.onError(failure);
                    } else {
                        downstream.onComplete();
                    }
                    return;
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        /** Subscribes to one turn's governed stream; its {@code Completed} starts what follows the turn. */
        private final class TurnSubscriber implements Flow.Subscriber<StreamEvent> {
            private final int turn;
            private StreamEvent.Completed answer;

            TurnSubscriber(int turn) {
                this.turn = turn;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                turnSubscription = subscription;
                if (cancelled) {
                    subscription.cancel();
                    return;
                }
                long demand = requested.get();
                if (demand > 0) {
                    subscription.request(demand);
                }
            }

            @Override
            public void onNext(StreamEvent event) {
                if (event instanceof StreamEvent.Completed completed) {
                    answer = completed;
                } else {
                    emit(event);
                }
            }

            @Override
            public void onError(Throwable failure) {
                fail(failure);
            }

            @Override
            public void onComplete() {
                turnSubscription = null;
                StreamEvent.Completed completed = answer;
                if (completed == null) {
                    fail(new IllegalStateException("turn " + turn + " of the run ended without its answer"));
                    return;
                }
                LlmResponse response = completed.response();
                totalCost = totalCost.add(completed.totalCost());
                inputTokens += completed.inputTokens();
                outputTokens += completed.outputTokens();
                toolExecutor.execute(() -> between(response));
            }

            private void between(LlmResponse response) {
                LlmResponse last;
                try {
                    last = turns.afterTurn(turn, response, new ToolEvents() {
                        @Override
                        public void started(ToolCall call) {
                            emit(new StreamEvent.ToolStarted(call, turn));
                        }

                        @Override
                        public void finished(ToolCall call, String result) {
                            emit(new StreamEvent.ToolFinished(call, result, turn));
                        }
                    });
                } catch (RuntimeException | Error failure) {
                    fail(failure);
                    return;
                }
                if (last != null) {
                    finish(last, turn);
                } else {
                    open(turn + 1);
                }
            }
        }

        private static void add(AtomicLong counter, long n) {
            counter.getAndUpdate(current -> {
                long sum = current + n;
                return sum < 0 ? Long.MAX_VALUE : sum;
            });
        }
    }
}
