package dev.agentgateway.spring.actuate.metrics;

import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitWarning;
import dev.agentgateway.core.limits.ReservationOverrun;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.TimeToFirstToken;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static dev.agentgateway.spring.actuate.metrics.GatewayMeterNames.AGENT_NAME;
import static dev.agentgateway.spring.actuate.metrics.GatewayMeterNames.ERROR_TYPE;
import static dev.agentgateway.spring.actuate.metrics.GatewayMeterNames.OPERATION_NAME;
import static dev.agentgateway.spring.actuate.metrics.GatewayMeterNames.PROVIDER_NAME;
import static dev.agentgateway.spring.actuate.metrics.GatewayMeterNames.REQUEST_MODEL;
import static dev.agentgateway.spring.actuate.metrics.GatewayMeterNames.TOKEN_TYPE;
import static dev.agentgateway.spring.actuate.metrics.GatewayMeterNames.TOOL_NAME;

/**
 * Records the gateway's decisions as Micrometer meters, following the OpenTelemetry GenAI
 * semantic conventions where they have a name:
 *
 * <ul>
 *   <li>{@code agent_gateway.calls.failed} (counter) per failed call, refused ones included, by agent,
 *       {@code error.type} and {@code refused_by} (the kind of what refused it, {@code none} when the
 *       provider failed);</li>
 *   <li>{@code gen_ai.client.operation.duration} (timer) per provider attempt, successful or not (a
 *       call refused before the provider is not an attempt);
 *       tags {@code gen_ai.operation.name=chat}, {@code gen_ai.provider.name}, {@code gen_ai.request.model},
 *       {@code gen_ai.agent.name}, {@code error.type} ({@code none} on success);</li>
 *   <li>{@code gen_ai.client.token.usage} (distribution summary) per successful attempt, once with
 *       {@code gen_ai.token.type=input} and once with {@code output}; same tags without {@code error.type};</li>
 *   <li>{@code agent_gateway.stream.time_to_first_token} (timer) per stream that delivered output: from
 *       opening the provider's stream to its first text or tool call; provider, model and agent tags;</li>
 *   <li>{@code agent_gateway.cost} (counter, USD) and {@code agent_gateway.calls.unpriced} (counter);</li>
 *   <li>{@code agent_gateway.reservation.overrun} (distribution summary, USD) per call that cost more than
 *       its reservation, by provider, model and agent;</li>
 *   <li>{@code agent_gateway.limit.refusals} and {@code agent_gateway.limit.warnings} (counters) by
 *       {@code kind} (budget, steps, time) and {@code scope} (global, agent, workflow, tenant);</li>
 *   <li>{@code agent_gateway.loops.detected} (counter) by {@code pattern} and agent;</li>
 *   <li>{@code agent_gateway.tool.calls} (counter) by {@code gen_ai.tool.name}, {@code outcome} and agent;</li>
 *   <li>{@code agent_gateway.tool.denials} (counter) by tool, agent and {@code stage} ({@code offer}: the
 *       tool was refused before the call; {@code execution}: the model asked for it and was refused).</li>
 * </ul>
 *
 * Tags never carry workflow ids, tenants, call ids or content, to keep cardinality bounded.
 */
public class GatewayMetricsListener implements GatewayListener {

    /** Duration buckets advised by the OpenTelemetry GenAI conventions, in seconds. */
    private static final double[] DURATION_BUCKETS = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24,
            20.48, 40.96, 81.92};

    /** Token-count buckets advised by the OpenTelemetry GenAI conventions. */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304,
            16777216, 67108864};

    private static final String CHAT = "chat";
    private static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final boolean histogramBuckets;

    public GatewayMetricsListener(MeterRegistry registry) {
        this(registry, true);
    }

    /**
     * @param histogramBuckets whether the duration and token histograms publish the bucket boundaries
     *                         the OpenTelemetry GenAI conventions advise
     */
    public GatewayMetricsListener(MeterRegistry registry, boolean histogramBuckets) {
        this.registry = registry;
        this.histogramBuckets = histogramBuckets;
    }

    @Override
    public void onCallRecorded(CallRecord record) {
        if (!record.success()) {
            Counter.builder(GatewayMeterNames.FAILED_CALLS)
                    .description("Failed calls, those refused before the provider included")
                    .tag(AGENT_NAME, orUnknown(record.agentId()))
                    .tag(ERROR_TYPE, orUnknown(record.errorType()))
                    .tag(GatewayMeterNames.REFUSED_BY, refusalKind(record.refusedBy()))
                    .register(registry)
                    .increment();
        }
        if (record.refused() && record.response() == null) {
            return; // never reached the provider: no duration, tokens or cost to tell
        }
        Tags scope = Tags.of(PROVIDER_NAME, orUnknown(record.provider()),
                REQUEST_MODEL, orUnknown(record.request() != null && record.request().model() != null
                        ? record.request().model() : record.model()),
                AGENT_NAME, orUnknown(record.agentId()));
        Tags tags = scope.and(OPERATION_NAME, CHAT);
        Timer.Builder timer = Timer.builder(GatewayMeterNames.OPERATION_DURATION)
                .description("Duration of GenAI provider calls made through the gateway (each attempt)")
                .tags(tags)
                .tag(ERROR_TYPE, record.success() ? "none" : orUnknown(record.errorType()));
        if (histogramBuckets) {
            timer.serviceLevelObjectives(DURATION_SLOS);
        }
        timer.register(registry).record(Math.max(0L, Math.round(record.latencyMs() * 1_000_000d)), TimeUnit.NANOSECONDS);
        if (record.response() != null) {
            tokens(tags, "input").record(record.inputTokens());
            tokens(tags, "output").record(record.outputTokens());
        }
        if (record.cost() != null && record.cost().signum() > 0) {
            Counter.builder(GatewayMeterNames.COST)
                    .description("USD spent on provider calls")
                    .baseUnit("usd")
                    .tags(scope)
                    .register(registry)
                    .increment(record.cost().doubleValue());
        }
        if (record.success() && !record.priced()) {
            Counter.builder(GatewayMeterNames.UNPRICED_CALLS)
                    .description("Calls whose model had no price: recorded at cost 0")
                    .tag(PROVIDER_NAME, orUnknown(record.provider()))
                    .tag(REQUEST_MODEL, orUnknown(record.model()))
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void onTimeToFirstToken(TimeToFirstToken firstToken) {
        LlmRequest request = firstToken.call().request();
        Timer.Builder timer = Timer.builder(GatewayMeterNames.TIME_TO_FIRST_TOKEN)
                .description("Time from opening a provider's stream to its first output")
                .tag(PROVIDER_NAME, orUnknown(request.provider()))
                .tag(REQUEST_MODEL, orUnknown(request.model()))
                .tag(AGENT_NAME, orUnknown(firstToken.call().agentId()));
        if (histogramBuckets) {
            timer.serviceLevelObjectives(DURATION_SLOS);
        }
        timer.register(registry).record(firstToken.elapsed());
    }

    @Override
    public void onReservationOverrun(ReservationOverrun overrun) {
        DistributionSummary.builder(GatewayMeterNames.RESERVATION_OVERRUN)
                .description("USD calls cost beyond their reservation (their client ignored max tokens)")
                .baseUnit("usd")
                .tag(PROVIDER_NAME, orUnknown(overrun.provider()))
                .tag(REQUEST_MODEL, orUnknown(overrun.model()))
                .tag(AGENT_NAME, orUnknown(overrun.agentId()))
                .register(registry)
                .record(overrun.amount().doubleValue());
    }

    @Override
    public void onLimitRefused(ExecutionLimitException refusal) {
        Counter.builder(GatewayMeterNames.LIMIT_REFUSALS)
                .description("Calls refused by a limit before reaching the provider")
                .tag("kind", lower(refusal.kind()))
                .tag("scope", refusal.scope() == null ? UNKNOWN : lower(refusal.scope().type()))
                .tag(AGENT_NAME, orUnknown(refusal.agentId()))
                .register(registry)
                .increment();
    }

    @Override
    public void onLimitWarning(LimitWarning warning) {
        Counter.builder(GatewayMeterNames.LIMIT_WARNINGS)
                .description("Limits that reached their warning threshold")
                .tag("kind", lower(warning.kind()))
                .tag("scope", warning.scope() == null ? UNKNOWN : lower(warning.scope().type()))
                .register(registry)
                .increment();
    }

    @Override
    public void onLoopDetected(LoopDetectedException loop) {
        Counter.builder(GatewayMeterNames.LOOPS_DETECTED)
                .description("Runs stopped because they were going round in circles")
                .tag("pattern", lower(loop.pattern()))
                .tag(AGENT_NAME, loop.agents().isEmpty() ? UNKNOWN : loop.agents().get(0))
                .register(registry)
                .increment();
    }

    @Override
    public void onToolCall(ToolCallRecord record) {
        Counter.builder(GatewayMeterNames.TOOL_CALLS)
                .description("Tool calls of tool-calling runs, by outcome")
                .tag(TOOL_NAME, orUnknown(record.toolName()))
                .tag("outcome", lower(record.outcome()))
                .tag(AGENT_NAME, orUnknown(record.agentId()))
                .register(registry)
                .increment();
        if (record.outcome() == ToolCallOutcome.DENIED) {
            denial(record.toolName(), record.agentId(), "execution");
        }
    }

    @Override
    public void onToolDenied(ToolAccessDeniedException denial) {
        denial(denial.toolName(), denial.agentId(), "offer");
    }

    private void denial(String tool, String agent, String stage) {
        Counter.builder(GatewayMeterNames.TOOL_DENIALS)
                .description("Tool uses refused by the tool access rules")
                .tag(TOOL_NAME, orUnknown(tool))
                .tag(AGENT_NAME, orUnknown(agent))
                .tag("stage", stage)
                .register(registry)
                .increment();
    }

    private DistributionSummary tokens(Tags tags, String type) {
        DistributionSummary.Builder builder = DistributionSummary.builder(GatewayMeterNames.TOKEN_USAGE)
                .description("Tokens used by GenAI provider calls made through the gateway, by token type")
                .tags(tags)
                .tag(TOKEN_TYPE, type);
        if (histogramBuckets) {
            builder.serviceLevelObjectives(TOKEN_BUCKETS);
        }
        return builder.register(registry);
    }

    private static final Duration[] DURATION_SLOS = durations();

    private static Duration[] durations() {
        Duration[] durations = new Duration[DURATION_BUCKETS.length];
        for (int i = 0; i < DURATION_BUCKETS.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(DURATION_BUCKETS[i] * 1e9));
        }
        return durations;
    }

    /** The kind of a {@link CallRecord#refusedBy()}, without the id that would make the tag unbounded. */
    private static String refusalKind(String refusedBy) {
        if (refusedBy == null) {
            return "none";
        }
        int colon = refusedBy.indexOf(':');
        return colon < 0 ? refusedBy : refusedBy.substring(0, colon);
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }

    private static String lower(Enum<?> value) {
        return value == null ? UNKNOWN : value.name().toLowerCase(Locale.ROOT);
    }
}
