package dev.agentgateway.core.tools.internal;

import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.provider.ToolSpec;
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
 * a denial stops the turn with nothing executed. Valid calls then run in parallel on the executor;
 * results come back in the order of the calls. Anything a model can get wrong (unknown tool, bad
 * JSON, arguments that break the schema) and anything a tool can do wrong (throw, hang) becomes an
 * {@code Error: …} message to the model and a failed {@link ToolCallRecord}, never a crash.
 */
public final class ToolTurnExecutor {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ToolAccessController access;
    private final ExecutorService executor;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<ToolCallRecord> recorder;
    private final ExecutionObserver observer;

    /** Who is running the turn. */
    public record TurnScope(String agentId, String workflowId, String tenant) {
    }

    private record Prepared(ToolCall call, Map<String, Object> arguments, LlmMessage earlyResult, ToolCallOutcome earlyOutcome) {
    }

    public ToolTurnExecutor(ToolAccessController access, ExecutorService executor, Duration timeout, Clock clock,
                            Consumer<ToolCallRecord> recorder, ExecutionObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.access = access;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /**
     * @param completed results already obtained for some of these calls (after a resume), by id; they are not run again
     * @param onResult  told of each new result, in call order, as soon as it is known (for checkpoints)
     * @throws ToolAccessDeniedException when the agent may not use one of the requested tools
     */
    public List<LlmMessage> execute(TurnScope scope, List<ToolCall> calls, Map<String, ToolSpec> offered,
                                    ToolExecutor toolExecutor, Map<String, String> completed, ExecutionObserver.Span runSpan,
                                    BiConsumer<ToolCall, LlmMessage> onResult) {
        authorizeAll(scope, calls, offered, completed);
        List<Prepared> prepared = new ArrayList<>(calls.size());
        List<Running> running = new ArrayList<>(calls.size());
        for (ToolCall call : calls) {
            Prepared p = completed.containsKey(call.id()) ? null : prepare(call, offered);
            prepared.add(p);
            running.add(p == null || p.earlyResult() != null ? null : start(scope, toolExecutor, p, runSpan));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<LlmMessage> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            if (prepared.get(i) == null) {
                results.add(LlmMessage.tool(call.id(), call.name(), completed.get(call.id())));
                continue;
            }
            LlmMessage result = finish(scope, prepared.get(i), running.get(i), deadline);
            results.add(result);
            onResult.accept(call, result);
        }
        return results;
    }

    private void authorizeAll(TurnScope scope, List<ToolCall> calls, Map<String, ToolSpec> offered, Map<String, String> completed) {
        if (access == null) {
            return;
        }
        for (ToolCall call : calls) {
            if (completed.containsKey(call.id()) || !offered.containsKey(call.name())) {
                continue;
            }
            ToolAccessDecision decision = access.authorize(
                    new ApprovalRequest(scope.agentId(), call.name(), call.arguments(), scope.workflowId()));
            if (!decision.allowed()) {
                record(scope, call, ToolCallOutcome.DENIED, decision.reason(), clock.instant(), 0);
                throw new ToolAccessDeniedException(scope.agentId(), call.name(), decision.outcome(), decision.reason());
            }
        }
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
    private record Running(Future<Object> future, AtomicLongArray nanos) {

        long durationMillis() {
            long started = nanos.get(0);
            long ended = nanos.get(1);
            return started == 0 ? 0 : ((ended == 0 ? System.nanoTime() : ended) - started) / 1_000_000;
        }
    }

    /** Submitted, not supplied async: a {@link Future} from an executor service interrupts a tool that times out. */
    private Running start(TurnScope scope, ToolExecutor toolExecutor, Prepared prepared, ExecutionObserver.Span runSpan) {
        AtomicLongArray nanos = new AtomicLongArray(2);
        Future<Object> future = executor.submit(() -> {
            nanos.set(0, System.nanoTime());
            ExecutionObserver.Span span = observer.toolStarted(scope.agentId(), scope.workflowId(), prepared.call(), runSpan);
            try {
                Object result = toolExecutor.execute(prepared.call().name(), prepared.arguments());
                span.end(null);
                return result;
            } catch (Exception | Error e) {
                span.end(e);
                throw e;
            } finally {
                nanos.set(1, System.nanoTime());
            }
        });
        return new Running(future, nanos);
    }

    private LlmMessage finish(TurnScope scope, Prepared prepared, Running running, long deadline) {
        ToolCall call = prepared.call();
        Instant startedAt = clock.instant();
        if (prepared.earlyResult() != null) {
            record(scope, call, prepared.earlyOutcome(), prepared.earlyResult().content(), startedAt, 0);
            return prepared.earlyResult();
        }
        ToolCallOutcome outcome;
        String content;
        try {
            Object value = running.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            outcome = ToolCallOutcome.SUCCESS;
            content = render(value);
        } catch (TimeoutException e) {
            running.future().cancel(true);
            outcome = ToolCallOutcome.TIMEOUT;
            content = "Error: tool '" + call.name() + "' did not finish within " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error;
            }
            outcome = cause instanceof UnknownToolException ? ToolCallOutcome.UNKNOWN_TOOL : ToolCallOutcome.ERROR;
            content = "Error: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.future().cancel(true);
            throw new IllegalStateException("interrupted while waiting for tool '" + call.name() + "'", e);
        }
        record(scope, call, outcome, content, startedAt, running.durationMillis());
        return LlmMessage.tool(call.id(), call.name(), content);
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
        recorder.accept(new ToolCallRecord(at, scope.agentId(), scope.workflowId(), scope.tenant(), call.id(), call.name(),
                call.arguments(), outcome, result, durationMs));
    }
}
