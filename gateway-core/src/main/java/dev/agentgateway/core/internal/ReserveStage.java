package dev.agentgateway.core.internal;

import dev.agentgateway.core.CallContext;
import dev.agentgateway.core.ExecutionObserver;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitEnforcer;
import dev.agentgateway.core.limits.Reservation;
import dev.agentgateway.core.limits.ScopedLimit;
import dev.agentgateway.core.provider.CallTarget;
import dev.agentgateway.core.provider.CostModel;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.ProviderRegistry;
import dev.agentgateway.core.provider.UnpricedModelException;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;

/**
 * Attempt step 1, reserve: the target's client, the request as it will be sent (with the output
 * cap the reservation counts, so the provider itself enforces it), its cost estimate, and one
 * step and that estimate reserved on every scope. A target without a client, a model without a
 * price under a money limit and a limit that cannot hold the call each refuse the attempt.
 */
public final class ReserveStage {

    private final ProviderRegistry providers;
    private final CostModel costs;
    private final LimitEnforcer limits;
    private final Events events;
    private final Refusals refusals;
    private final CallIds callIds;
    private final Clock clock;
    private final int defaultMaxOutputTokens;

    public ReserveStage(ProviderRegistry providers, CostModel costs, LimitEnforcer limits, Events events, Refusals refusals,
                        CallIds callIds, Clock clock, int defaultMaxOutputTokens) {
        this.providers = providers;
        this.costs = costs;
        this.limits = limits;
        this.events = events;
        this.refusals = refusals;
        this.callIds = callIds;
        this.clock = clock;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    /** @param override the client the call brought along, or {@code null} for the target's registered one */
    public PreparedCall prepare(GatewayCall call, CallTarget target, LlmClient override, ExecutionObserver.Span parent) {
        String providerId = ProviderRegistry.normalizeId(target.provider());
        LlmClient client = override != null ? override : providers.find(providerId);
        if (client == null) {
            throw refusals.refuse(call, providerId, target.model(), target.attempt(),
                    ProviderNotFoundException.notRegistered(providerId), "provider:" + providerId);
        }
        List<ScopedLimit> scopes = LimitHold.current() == LimitHold.Mode.HELD_BACK
                ? limits.scopesHeldBack(call.agentId(), call.tenant(), call.workflowId())
                : limits.scopesOf(call.agentId(), call.tenant(), call.workflowId());
        target = downgraded(call, target, scopes);
        LlmRequest request = new LlmRequest(providerId, target.model(), call.messages(), call.tools(), call.temperature(),
                call.maxTokens() != null ? call.maxTokens() : defaultMaxOutputTokens);
        BigDecimal estimate;
        try {
            estimate = costs.estimate(client, request, call.agentId(), LimitEnforcer.underMoneyLimit(scopes));
        } catch (UnpricedModelException unpriced) {
            throw refusals.refuse(call, providerId, target.model(), target.attempt(), unpriced, "unpriced:" + target.model());
        }
        Reservation reservation;
        try {
            reservation = limits.reserve(call.agentId(), scopes, estimate);
        } catch (ExecutionLimitException refused) {
            events.limitRefused(refused);
            throw refusals.refuse(call, providerId, target.model(), target.attempt(), refused,
                    LimitEnforcer.refusedBy(refused.scope()));
        }
        CallRecord.Origin origin = new CallRecord.Origin(callIds.next(), call.agentId(), request, clock.instant(),
                call.workflowId(), stepOf(call, reservation), call.tenant(), target.attempt());
        CallContext context = new CallContext(origin.callId(), call.agentId(), call.workflowId(), call.tenant(), request);
        return new PreparedCall(call, target, providerId, client, reservation, origin, context, parent, limits);
    }

    /**
     * The target with the agent's cheaper model once a budget of the call has passed its warning
     * threshold ({@link dev.agentgateway.core.limits.LimitActions#downgradeModel}); the request, its
     * estimate and the call's record then name that model.
     */
    private CallTarget downgraded(GatewayCall call, CallTarget target, List<ScopedLimit> scopes) {
        String cheaper = limits.actionsOf(call.agentId()).downgradeModel();
        if (cheaper == null || cheaper.equals(target.model()) || !limits.pastBudgetWarning(scopes)) {
            return target;
        }
        return new CallTarget(target.agentId(), target.provider(), cheaper, target.attempt());
    }

    /** The call's own step, else its position in its workflow run; none outside a run. */
    static Integer stepOf(GatewayCall call, Reservation reservation) {
        if (call.step() != null) {
            return call.step();
        }
        return call.workflowId() == null ? null : (int) reservation.runStep();
    }
}
