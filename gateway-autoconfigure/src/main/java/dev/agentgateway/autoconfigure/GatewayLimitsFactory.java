package dev.agentgateway.autoconfigure;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.limits.BudgetLedger;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitActions;
import dev.agentgateway.core.limits.OnLimit;
import dev.agentgateway.core.limits.ScopeLimits;
import dev.agentgateway.core.loop.LoopDetectionConfig;
import dev.agentgateway.core.loop.StreamRepetitionRule;
import dev.agentgateway.core.provider.ModelPrice;
import dev.agentgateway.core.provider.PriceTable;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessRule;
import dev.agentgateway.core.tools.ToolLimits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns {@link AgentGatewayProperties} into the core's immutable configuration values; the values
 * were validated where they were bound, so nothing here can fail but a combination of values and
 * beans (a tool's cost per call on a ledger that cannot hold it). Grants of tools are made here
 * and nowhere else.
 */
final class GatewayLimitsFactory {

    private GatewayLimitsFactory() {
    }

    /** A gateway builder with the limits, limit actions, loop detection, checkpointing, pricing rule and tool execution settings of {@code properties}. */
    static Gateway.Builder builder(AgentGatewayProperties properties) {
        Gateway.Builder builder = Gateway.builder()
                .limits(limits(properties))
                .loopDetection(loopDetection(properties))
                .checkpointEnabled(properties.getCheckpoint().isEnabled())
                .allowUnpricedModels(properties.isAllowUnpricedModels())
                .toolTimeout(properties.getToolExecution().getTimeout())
                .maxToolResultSize(properties.getToolExecution().getMaxResultSize())
                .streamTimeout(properties.getStream().getTimeout())
                .streamRepetition(streamRepetition(properties));
        limitActions(properties).forEach(builder::limitActions);
        return builder;
    }

    static ExecutionLimits limits(AgentGatewayProperties properties) {
        AgentGatewayProperties.Limits limits = properties.getLimits();
        ExecutionLimits.Builder builder = ExecutionLimits.builder()
                .maxBudget(limits.getMaxBudget())
                .maxSteps(limits.getMaxSteps())
                .maxTime(limits.getMaxTime())
                .perAgentMaxSteps(limits.getPerAgentMaxSteps())
                .perAgentMaxBudget(limits.getPerAgentMaxBudget())
                .perWorkflowMaxSteps(limits.getPerWorkflowMaxSteps())
                .perWorkflowMaxBudget(limits.getPerWorkflowMaxBudget())
                .perTenantMaxSteps(limits.getPerTenantMaxSteps())
                .perTenantMaxBudget(limits.getPerTenantMaxBudget())
                .warningThreshold(limits.getWarningThreshold());
        properties.getAgents().forEach((agentId, agent) -> {
            if (agent.getMaxSteps() != null || agent.getMaxBudget() != null) {
                builder.agent(agentId, ScopeLimits.of(agent.getMaxSteps(), agent.getMaxBudget()));
            }
        });
        properties.getTenants().forEach((tenant, scope) ->
                builder.tenant(tenant, ScopeLimits.of(scope.getMaxSteps(), scope.getMaxBudget())));
        return builder.build();
    }

    /**
     * What each configured agent's runs do at a limit; agents that fail at every limit and do not
     * downgrade are left out. A budget that finishes without a reserve stops start-up.
     */
    static Map<String, LimitActions> limitActions(AgentGatewayProperties properties) {
        Map<String, LimitActions> actions = new java.util.LinkedHashMap<>();
        properties.getAgents().forEach((agentId, agent) -> {
            AgentGatewayProperties.OnLimitSettings onLimit = agent.getOnLimit();
            String cheaper = agent.getOnBudgetWarning().getModel();
            if (onLimit.getBudget() == OnLimit.FINISH
                    && (onLimit.getFinishReserve() == null || onLimit.getFinishReserve().signum() <= 0)) {
                throw new IllegalStateException("agent-gateway.agents." + agentId + ".on-limit.budget=finish needs a positive "
                        + "agent-gateway.agents." + agentId + ".on-limit.finish-reserve: the USD each budget keeps back for the "
                        + "run's last call. Set it, or set on-limit.budget=fail.");
            }
            LimitActions agentActions = new LimitActions(onLimit.getSteps(), onLimit.getBudget(), onLimit.getFinishReserve(),
                    cheaper == null || cheaper.isBlank() ? null : cheaper);
            if (!agentActions.equals(LimitActions.FAIL)) {
                actions.put(agentId, agentActions);
            }
        });
        return actions;
    }

    /**
     * The per-tool limits of {@code agent-gateway.tools.*}, for the tools that set any.
     *
     * @throws IllegalStateException when a tool has a cost per call and {@code ledger} cannot hold one
     */
    static Map<String, ToolLimits> toolLimits(AgentGatewayProperties properties, BudgetLedger ledger) {
        Map<String, ToolLimits> limits = new LinkedHashMap<>();
        properties.getTools().forEach((name, tool) -> {
            if (tool.getCostPerCall() != null && tool.getCostPerCall().signum() > 0 && !ledger.holdsCostWithoutStep()) {
                throw new IllegalStateException("agent-gateway.tools." + name + ".cost-per-call needs a budget ledger that"
                        + " can hold a tool's cost without a step, and " + ledger.getClass().getSimpleName() + " cannot yet:"
                        + " remove cost-per-call, or keep the ledger in memory (agent-gateway.persistence.enabled=false, or a"
                        + " BudgetLedger bean such as new InMemoryBudgetLedger(); each instance then holds its limits on its own)");
            }
            ToolLimits toolLimits = new ToolLimits(tool.getMaxCallsPerRun(), tool.getMaxCallsPerAgent(), tool.getCostPerCall(),
                    tool.isExemptFromSteps(), tool.getMaxResultSize());
            if (!toolLimits.equals(ToolLimits.none())) {
                limits.put(name, toolLimits);
            }
        });
        return limits;
    }

    /**
     * A cheaper model an agent downgrades to must have a price in the gateway's price table (unless
     * unpriced models are allowed): calls sent there by a budget would be refused under it otherwise.
     */
    static void checkDowngradePrices(AgentGatewayProperties properties, PriceTable prices) {
        properties.getAgents().forEach((agentId, agent) -> {
            String cheaper = agent.getOnBudgetWarning().getModel();
            if (cheaper != null && !cheaper.isBlank() && prices.find(cheaper).isEmpty() && !properties.isAllowUnpricedModels()) {
                throw new IllegalStateException("agent-gateway.agents." + agentId + ".on-budget-warning.model '" + cheaper
                        + "' has no price, so calls downgraded to it would be refused under the budget that sent them there."
                        + " Price it with agent-gateway.pricing." + cheaper + ".input-per-million and .output-per-million.");
            }
        });
    }

    static LoopDetectionConfig loopDetection(AgentGatewayProperties properties) {
        AgentGatewayProperties.LoopDetection loop = properties.getLoopDetection();
        if (!loop.isEnabled()) {
            return null;
        }
        return LoopDetectionConfig.builder().maxRepeatedOutputs(loop.getMaxRepeatedOutputs())
                .maxNoStateChange(loop.getMaxNoStateChange()).maxPingPong(loop.getMaxPingPong())
                .windowSize(loop.getWindowSize()).build();
    }

    /** The repetition rule of streams, or {@code null} when it is off. */
    static StreamRepetitionRule streamRepetition(AgentGatewayProperties properties) {
        AgentGatewayProperties.Repetition repetition = properties.getStream().getRepetition();
        return repetition.isEnabled() ? new StreamRepetitionRule(repetition.getMinBlockLength(),
                repetition.getMaxBlockLength(), repetition.getRepeats()) : null;
    }

    static PriceTable priceTable(AgentGatewayProperties properties) {
        PriceTable table = PriceTable.defaults();
        for (Map.Entry<String, AgentGatewayProperties.Price> entry : properties.getPricing().entrySet()) {
            AgentGatewayProperties.Price price = entry.getValue();
            table = table.with(entry.getKey(), new ModelPrice(price.getInputPerMillion(), price.getOutputPerMillion(),
                    price.getCachedInputPerMillion(), price.getCacheWritePerMillion()));
        }
        return table;
    }

    static ToolAccessController toolAccess(AgentGatewayProperties properties) {
        AgentGatewayProperties.ToolAccess access = properties.getToolAccess();
        ToolAccessController controller = new ToolAccessController(access.getDefaultPolicy());
        for (int i = 0; i < access.getRules().size(); i++) {
            AgentGatewayProperties.Rule rule = access.getRules().get(i);
            ToolAccessRule coreRule = new ToolAccessRule(rule.getTool(), rule.getAllowedAgents(), rule.getDeniedAgents(),
                    rule.isRequireApproval());
            controller.addRule(coreRule);
        }
        properties.getAgents().forEach((agentId, agent) -> {
            if (agent.getAllowedTools() != null) {
                controller.setAgentTools(agentId, agent.getAllowedTools());
            }
        });
        return controller;
    }
}
