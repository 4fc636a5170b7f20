package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.tools.UnknownToolException;
import dev.agentgateway.core.internal.tools.ToolCallJson.Prepared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs the tool calls of one assistant turn. Access is decided for every call before any runs, so
 * a denial stops the turn with nothing executed. Valid calls then run in parallel on the executor,
 * and each is settled (recorded, and handed on for a checkpoint) on its own thread the moment it
 * finishes, whatever the others are doing; the turn's results come back in the order of the calls.
 * Anything a model can get wrong (unknown tool, bad JSON, arguments that break the schema) and
 * anything a tool can do wrong (throw, hang) becomes an {@code Error: …} message to the model and a
 * failed {@link ToolCallRecord}, never a crash. A tool that throws an {@link Error} is recorded and
 * the Error reaches the caller as it is, with no result for that call. The {@link ToolLimiter} decides,
 * call by call before any runs, whether a tool's limits let it run ({@code "tool limit reached: …"}
 * otherwise), and cuts results that are too long.
 *
 * <p>This class runs the calls and waits for them; deciding access ({@link TurnAuthorizer}), reading
 * arguments and writing results ({@link ToolCallJson}) and settling each call once ({@link TurnSettlement})
 * are their own classes, so the threading here is all there is to read.
 */
public final class ToolTurnExecutor {

    private final TurnAuthorizer authorizer;
    private final ExecutorService executor;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<ToolCallRecord> recorder;
    private final ExecutionObserver observer;
    private final ToolLimiter limiter;

    /** Who is running the turn, and what their run has used. */
    public record TurnScope(String agentId, String workflowId, String tenant, RunTally tally) {
    }

    /**
     * How approval-required tools of a turn are approved.
     *
     * @param durable whether a call that needs approval (and has no synchronous handler) pauses the run for a
     *                person's decision; when false it is denied as before
     * @param decided the decisions of a resumed turn, by tool-call id: approved calls run (with edited arguments
     *                where given), rejected and expired ones give the model the rejection as their result
     */
    public record Approving(boolean durable, Map<String, ApprovalDecision> decided) {

        public static final Approving NONE = new Approving(false, Map.of());

        public Approving {
            decided = Map.copyOf(decided);
        }
    }

    /**
     * What a turn produced.
     *
     * @param messages         the tool results in the order of the calls (only meaningful when nothing awaits approval)
     * @param awaitingApproval calls that need a person's approval before they can run; the others of the turn ran
     */
    public record TurnResults(List<LlmMessage> messages, List<ToolCall> awaitingApproval) {

        public boolean paused() {
            return !awaitingApproval.isEmpty();
        }
    }

    public ToolTurnExecutor(ToolAccessController access, ExecutorService executor, Duration timeout, Clock clock,
                            Consumer<ToolCallRecord> recorder, ExecutionObserver observer, ToolLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.authorizer = new TurnAuthorizer(access, clock, recorder);
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /**
     * @param completed results already obtained for some of these calls (after a resume), by id; they are not run again
     * @param onResult  told of each new result the moment it is known, on the thread that produced it (for
     *                  checkpoints): one at a time, and never after this method returns
     * @throws ToolAccessDeniedException when the agent may not use one of the requested tools
     */
    public TurnResults execute(TurnScope scope, List<ToolCall> calls, Map<String, ToolSpec> offered,
                               ToolExecutor toolExecutor, Map<String, String> completed, Approving approving,
                               ExecutionObserver.Span runSpan, BiConsumer<ToolCall, LlmMessage> onResult) {
        List<ToolCall> awaiting = authorizer.authorizeAll(scope, calls, offered, completed, approving);
        TurnSettlement turn = new TurnSettlement(scope, recorder, onResult);
        List<Running> running = new ArrayList<>(calls.size());
        boolean exempt = !calls.isEmpty();
        for (ToolCall call : calls) {
            exempt &= limiter.exempt(call.name());
            if (completed.containsKey(call.id()) || awaiting.contains(call)) {
                continue;
            }
            ApprovalDecision decision = approving.decided().get(call.id());
            if (decision != null && !decision.runsTool()) {
                exempt = false;
                turn.settle(call, ToolCallOutcome.DENIED, decision.rejectionMessage(call.name()), clock.instant(), 0);
                continue;
            }
            Prepared prepared = ToolCallJson.prepare(TurnAuthorizer.asApproved(call, decision), offered);
            if (prepared.earlyResult() != null) {
                exempt = false;
                turn.settle(prepared.call(), prepared.earlyOutcome(), prepared.earlyResult().content(), clock.instant(), 0);
                continue;
            }
            ToolLimiter.Admission admission = limiter.admit(scope, prepared.call());
            if (admission.refusal != null) {
                exempt = false; // a turn of refused calls counts, or a model could ask for ever
                turn.settle(prepared.call(), ToolCallOutcome.LIMIT_REACHED, admission.refusal, clock.instant(), 0);
            } else {
                running.add(start(scope, toolExecutor, prepared, admission, runSpan, turn));
            }
        }
        scope.tally().lastTurnExempt(exempt);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Running tool : running) {
            await(tool, deadline, turn);
        }
        return new TurnResults(turn.close(calls, completed), List.copyOf(awaiting));
    }

    /** A submitted tool call, with when it really started and ended on its worker thread (0 while unknown). */
    private record Running(ToolCall call, Future<Void> future, AtomicLongArray nanos, ToolLimiter.Admission admission) {

        long durationMillis() {
            long started = nanos.get(0);
            long ended = nanos.get(1);
            return started == 0 ? 0 : ((ended == 0 ? System.nanoTime() : ended) - started) / 1_000_000;
        }
    }

    /**
     * Submitted, not supplied async: a {@link Future} from an executor service interrupts a tool that
     * times out. The worker settles its own call as soon as the tool returns or throws.
     */
    private Running start(TurnScope scope, ToolExecutor toolExecutor, Prepared prepared, ToolLimiter.Admission admission,
                          ExecutionObserver.Span runSpan, TurnSettlement turn) {
        AtomicLongArray nanos = new AtomicLongArray(2);
        ToolCall call = prepared.call();
        Future<Void> future;
        try {
            future = executor.submit(() -> runTool(scope, toolExecutor, prepared, admission, runSpan, turn, nanos));
        } catch (RuntimeException rejected) {
            limiter.unused(admission);
            throw rejected;
        }
        return new Running(call, future, nanos, admission);
    }

    /** On the worker: runs the tool, charges its cost, settles its call. */
    private Void runTool(TurnScope scope, ToolExecutor toolExecutor, Prepared prepared, ToolLimiter.Admission admission,
                         ExecutionObserver.Span runSpan, TurnSettlement turn, AtomicLongArray nanos) {
        ToolCall call = prepared.call();
        if (!admission.begin()) {
            return null; // given up before it started (timed out): its reservation is back, its call settled
        }
        try {
            nanos.set(0, System.nanoTime());
            Instant startedAt = clock.instant();
            ExecutionObserver.Span span = observer.toolStarted(scope.agentId(), scope.workflowId(), call, runSpan);
            Object value;
            try {
                value = toolExecutor.execute(call.name(), prepared.arguments());
            } catch (Exception failure) {
                nanos.set(1, System.nanoTime());
                span.end(failure);
                turn.settle(call, failure instanceof UnknownToolException ? ToolCallOutcome.UNKNOWN_TOOL : ToolCallOutcome.ERROR,
                        "Error: " + (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()),
                        startedAt, millisSince(nanos.get(0)));
                return null;
            } catch (Error error) {
                nanos.set(1, System.nanoTime());
                span.end(error);
                turn.fail(call, "Error: " + error, startedAt, millisSince(nanos.get(0)));
                throw error;
            }
            nanos.set(1, System.nanoTime());
            span.end(null);
            String result = ToolCallJson.render(value);
            String cut = limiter.cut(call.name(), result);
            turn.settle(call, cut == null ? ToolCallOutcome.SUCCESS : ToolCallOutcome.TRUNCATED, cut == null ? result : cut,
                    startedAt, millisSince(nanos.get(0)));
            return null;
        } finally {
            limiter.ran(admission, scope.tally());
        }
    }

    /** Waits for one tool until the turn's deadline; a tool still running then is cancelled and settled as timed out. */
    private void await(Running tool, long deadline, TurnSettlement turn) {
        ToolCall call = tool.call();
        try {
            tool.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            turn.settle(call, ToolCallOutcome.TIMEOUT, "Error: tool '" + call.name() + "' did not finish within "
                    + timeout.toMillis() + " ms", clock.instant(), tool.durationMillis());
            tool.future().cancel(true);
            limiter.unused(tool.admission());
        } catch (ExecutionException e) {
            // the tool's own failures are settled on its thread: what arrives here broke the turn
            // (an Error, or a result that could not be handed on)
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.future().cancel(true);
            throw new IllegalStateException("interrupted while waiting for tool '" + call.name() + "'", e);
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
