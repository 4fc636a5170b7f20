package dev.agentgateway.spring.actuate.metrics;

/**
 * Names and tag keys of the gateway's meters. The {@code gen_ai.*} ones follow the OpenTelemetry
 * GenAI semantic conventions; the {@code agent_gateway.*} ones are the gateway's own. The Prometheus
 * names (what {@code docs/grafana/agent-gateway-dashboard.json} queries) are given with each.
 */
public final class GatewayMeterNames {

    /** Timer of each provider attempt, in seconds. Prometheus: {@code gen_ai_client_operation_duration_seconds}. */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

    /** Distribution summary of tokens per attempt, by {@code gen_ai.token.type}. Prometheus: {@code gen_ai_client_token_usage}. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";

    /**
     * Timer of each stream's time to its first output (text or a tool call), from the provider's
     * stream being opened, by provider, model and agent. Prometheus:
     * {@code agent_gateway_stream_time_to_first_token_seconds}.
     */
    public static final String TIME_TO_FIRST_TOKEN = "agent_gateway.stream.time_to_first_token";

    /** Counter of USD spent. Prometheus: {@code agent_gateway_cost_usd_total}. */
    public static final String COST = "agent_gateway.cost";

    /** Counter of calls whose model had no price (recorded at cost 0). Prometheus: {@code agent_gateway_calls_unpriced_total}. */
    public static final String UNPRICED_CALLS = "agent_gateway.calls.unpriced";

    /**
     * Distribution summary (USD) of what calls cost beyond their reservation: its count is the
     * calls whose client ignored max tokens. Prometheus: {@code agent_gateway_reservation_overrun_usd_count/_sum}.
     */
    public static final String RESERVATION_OVERRUN = "agent_gateway.reservation.overrun";

    /**
     * Counter of failed calls by agent, {@code error.type} and {@code refused_by} (what refused the
     * call: {@code global}, {@code agent}, {@code workflow}, {@code tenant}, {@code kill-switch},
     * {@code pause}, {@code tool-access}, {@code provider}, {@code unpriced}, {@code hook}, {@code loop}; {@code none}
     * when the provider failed). Prometheus: {@code agent_gateway_calls_failed_total}.
     */
    public static final String FAILED_CALLS = "agent_gateway.calls.failed";

    /** Tag of {@link #FAILED_CALLS}: what refused the call, {@code none} when nothing did. */
    public static final String REFUSED_BY = "refused_by";

    /** Counter of calls refused by a limit before reaching the provider. Prometheus: {@code agent_gateway_limit_refusals_total}. */
    public static final String LIMIT_REFUSALS = "agent_gateway.limit.refusals";

    /** Counter of limit warnings (a limit reached its warning threshold). Prometheus: {@code agent_gateway_limit_warnings_total}. */
    public static final String LIMIT_WARNINGS = "agent_gateway.limit.warnings";

    /** Counter of loops detected. Prometheus: {@code agent_gateway_loops_detected_total}. */
    public static final String LOOPS_DETECTED = "agent_gateway.loops.detected";

    /** Counter of tool executions by tool and outcome. Prometheus: {@code agent_gateway_tool_calls_total}. */
    public static final String TOOL_CALLS = "agent_gateway.tool.calls";

    /** Counter of tool access denials by tool, agent and stage. Prometheus: {@code agent_gateway_tool_denials_total}. */
    public static final String TOOL_DENIALS = "agent_gateway.tool.denials";

    /** Gauge of the global budget left, in USD (NaN without a budget). Prometheus: {@code agent_gateway_budget_remaining_usd}. */
    public static final String BUDGET_REMAINING = "agent_gateway.budget.remaining";

    /** Gauge of USD spent since start or the last reset. Prometheus: {@code agent_gateway_budget_spent_usd}. */
    public static final String BUDGET_SPENT = "agent_gateway.budget.spent";

    /** Gauge of the global steps left (NaN without a step limit). Prometheus: {@code agent_gateway_steps_remaining}. */
    public static final String STEPS_REMAINING = "agent_gateway.steps.remaining";

    /** Gauge: 1 while the kill switch is on. Prometheus: {@code agent_gateway_stopped}. */
    public static final String STOPPED = "agent_gateway.stopped";

    /** Gauge of paused agents. Prometheus: {@code agent_gateway_agents_paused}. */
    public static final String PAUSED_AGENTS = "agent_gateway.agents.paused";

    /** Gauge of approvals waiting for a decision (in the store all instances share). Prometheus: {@code agent_gateway_approvals_pending}. */
    public static final String APPROVALS_PENDING = "agent_gateway.approvals.pending";

    /** Counter of approvals requested, by tool. Prometheus: {@code agent_gateway_approvals_requested_total}. */
    public static final String APPROVALS_REQUESTED = "agent_gateway.approvals.requested";

    /**
     * Counter of approvals decided on this instance, by tool and {@code verdict} ({@code approved},
     * {@code approved_with_edit}, {@code rejected}, {@code expired}). Prometheus: {@code agent_gateway_approvals_decided_total}.
     */
    public static final String APPROVALS_DECIDED = "agent_gateway.approvals.decided";

    /** {@code chat} for provider calls (OpenTelemetry GenAI). */
    public static final String OPERATION_NAME = "gen_ai.operation.name";

    /** The provider id the gateway used (OpenTelemetry GenAI {@code gen_ai.provider.name}). */
    public static final String PROVIDER_NAME = "gen_ai.provider.name";

    /** The model asked for (OpenTelemetry GenAI). */
    public static final String REQUEST_MODEL = "gen_ai.request.model";

    /** {@code input} or {@code output} (OpenTelemetry GenAI). */
    public static final String TOKEN_TYPE = "gen_ai.token.type";

    /** The agent (OpenTelemetry GenAI agent attribute). */
    public static final String AGENT_NAME = "gen_ai.agent.name";

    /** The tool (OpenTelemetry GenAI). */
    public static final String TOOL_NAME = "gen_ai.tool.name";

    /** The exception type of a failed call, {@code none} on success (OpenTelemetry {@code error.type}). */
    public static final String ERROR_TYPE = "error.type";

    private GatewayMeterNames() {
    }
}
