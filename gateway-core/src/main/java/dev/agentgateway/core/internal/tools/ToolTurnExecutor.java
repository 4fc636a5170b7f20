package dev.agentgateway.core.internal.tools;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.approval.ApprovalDecision;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.AccessOutcome;
import dev.agentgateway.core.tools.ApprovalRequest;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDecision;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import dev.agentgateway.core.tools.ToolExecutor;
import dev.agentgateway.core.tools.UnknownToolException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 */
public final class ToolTurnExecutor {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ToolAccessController access;
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

    private record Prepared(ToolCall call, Map<String, Object> arguments, LlmMessage earlyResult, ToolCallOutcome earlyOutcome) {
    }

    public ToolTurnExecutor(ToolAccessController access, ExecutorService executor, Duration timeout, Clock clock,
                            Consumer<ToolCallRecord> recorder, ExecutionObserver observer, ToolLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.access = access;
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
        List<ToolCall> awaiting = authorizeAll(scope, calls, offered, completed, approving);
        Turn turn = new Turn(scope, onResult);
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
            Prepared prepared = prepare(asApproved(call, decision), offered);
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

    /** The call as approved: with the approver's edited arguments where there are some. */
    private static ToolCall asApproved(ToolCall call, ApprovalDecision decision) {
        return decision != null && decision.editedArguments() != null
                ? new ToolCall(call.id(), call.name(), decision.editedArguments()) : call;
    }

    /**
     * Decides access for every call of the turn before any runs; a denial stops the turn.
     *
     * @return the calls that wait for a person's approval
     */
    private List<ToolCall> authorizeAll(TurnScope scope, List<ToolCall> calls, Map<String, ToolSpec> offered,
                                        Map<String, String> completed, Approving approving) {
        List<ToolCall> awaiting = new ArrayList<>();
        if (access == null) {
            return awaiting;
        }
        for (ToolCall call : calls) {
            if (completed.containsKey(call.id()) || !offered.containsKey(call.name())) {
                continue;
            }
            ApprovalDecision decided = approving.decided().get(call.id());
            if (decided != null && !decided.runsTool()) {
                continue; // rejected: it does not run, the model reads why
            }
            ToolCall approved = asApproved(call, decided);
            ApprovalRequest request = new ApprovalRequest(scope.agentId(), call.name(), approved.arguments(), scope.workflowId());
            ToolAccessDecision decision = decided != null ? access.authorizeApproved(request, decided.decidedBy())
                    : access.authorize(request, approving.durable());
            if (decision.outcome() == AccessOutcome.APPROVAL_PENDING) {
                awaiting.add(call);
            } else if (!decision.allowed()) {
                record(scope, approved, ToolCallOutcome.DENIED, decision.reason(), clock.instant(), 0);
                throw new ToolAccessDeniedException(scope.agentId(), call.name(), decision.outcome(), decision.reason());
            }
        }
        return awaiting;
    }

    @SuppressWarnings("unchecked")
    private Prepared prepare(ToolCall call, Map<String, ToolSpec> offered) {
        ToolSpec spec = offered.get(call.name());
        if (spec == null) {
            return early(call, ToolCallOutcome.UNKNOWN_TOOL, "Error: unknown tool '" + call.name() + "'. Available tools: "
                    + String.join(", ", offered.keySet()));
        }
        Object parsed;
        try {
            parsed = JSON.readValue(call.arguments(), Object.class);
        } catch (JacksonException e) {
            return early(call, ToolCallOutcome.INVALID_ARGUMENTS, "Error: the arguments of tool '" + call.name()
                    + "' are not valid JSON (" + e.getOriginalMessage() + "). Send a JSON object matching the tool's schema.");
        }
        if (!(parsed instanceof Map)) {
            return early(call, ToolCallOutcome.INVALID_ARGUMENTS,
                    "Error: the arguments of tool '" + call.name() + "' must be a JSON object.");
        }
        Map<String, Object> arguments = (Map<String, Object>) parsed;
        List<String> problems = ArgumentValidator.validate(spec.parameters(), arguments);
        if (!problems.isEmpty()) {
            return early(call, ToolCallOutcome.INVALID_ARGUMENTS,
                    "Error: invalid arguments for tool '" + call.name() + "': " + String.join("; ", problems));
        }
        return new Prepared(call, arguments, null, null);
    }

    private static Prepared early(ToolCall call, ToolCallOutcome outcome, String message) {
        return new Prepared(call, null, LlmMessage.tool(call.id(), call.name(), message), outcome);
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
                          ExecutionObserver.Span runSpan, Turn turn) {
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
                         ExecutionObserver.Span runSpan, Turn turn, AtomicLongArray nanos) {
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
            String result = render(value);
            String cut = limiter.cut(call.name(), result);
            turn.settle(call, cut == null ? ToolCallOutcome.SUCCESS : ToolCallOutcome.TRUNCATED, cut == null ? result : cut,
                    startedAt, millisSince(nanos.get(0)));
            return null;
        } finally {
            limiter.ran(admission, scope.tally());
        }
    }

    /** Waits for one tool until the turn's deadline; a tool still running then is cancelled and settled as timed out. */
    private void await(Running tool, long deadline, Turn turn) {
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

    /**
     * The results of one turn as they settle, from whichever thread: the first outcome of a call
     * wins (a tool that finishes as its time-out is declared is settled once), and each is
     * recorded and handed on under one lock, so concurrent checkpoints cannot lose each other's
     * results nor arrive after the turn is over.
     */
    private final class Turn {
        private final TurnScope scope;
        private final BiConsumer<ToolCall, LlmMessage> onResult;
        private final Map<String, LlmMessage> results = new HashMap<>();
        private boolean closed;

        Turn(TurnScope scope, BiConsumer<ToolCall, LlmMessage> onResult) {
            this.scope = scope;
            this.onResult = onResult;
        }

        synchronized void settle(ToolCall call, ToolCallOutcome outcome, String content, Instant at, long durationMs) {
            if (closed || results.containsKey(call.id())) {
                return;
            }
            LlmMessage result = LlmMessage.tool(call.id(), call.name(), content);
            results.put(call.id(), result);
            record(scope, call, outcome, content, at, durationMs);
            onResult.accept(call, result);
        }

        /** A tool that threw an Error: recorded, but no result, so a resumed run runs it again. */
        synchronized void fail(ToolCall call, String content, Instant at, long durationMs) {
            if (!closed && !results.containsKey(call.id())) {
                record(scope, call, ToolCallOutcome.ERROR, content, at, durationMs);
            }
        }

        /** Ends the turn: the results in the order of the calls, earlier ones included. */
        synchronized List<LlmMessage> close(List<ToolCall> calls, Map<String, String> completed) {
            closed = true;
            List<LlmMessage> ordered = new ArrayList<>(calls.size());
            for (ToolCall call : calls) {
                LlmMessage result = results.get(call.id());
                if (result != null) {
                    ordered.add(result);
                } else if (completed.containsKey(call.id())) {
                    ordered.add(LlmMessage.tool(call.id(), call.name(), completed.get(call.id())));
                }
            }
            return ordered;
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String render(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JacksonException e) {
            return String.valueOf(value);
        }
    }

    private void record(TurnScope scope, ToolCall call, ToolCallOutcome outcome, String result, Instant at, long durationMs) {
        scope.tally().toolCall();
        recorder.accept(new ToolCallRecord(at, scope.agentId(), scope.workflowId(), scope.tenant(), call.id(), call.name(),
                call.arguments(), outcome, result, durationMs));
    }
}
