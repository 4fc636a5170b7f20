package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDecision;
import dev.agentgateway.core.tools.ToolAccessDeniedException;

import java.util.List;

/**
 * Stage 3, offered tools: a call that offers the model a tool its agent may not use is refused
 * before the provider sees it (the model cannot ask for what it was never shown).
 */
public final class OfferedToolsStage {

    private final ToolAccessController toolAccess;
    private final Events events;
    private final Refusals refusals;

    /** @param toolAccess the rules, or {@code null} when every tool is allowed */
    public OfferedToolsStage(ToolAccessController toolAccess, Events events, Refusals refusals) {
        this.toolAccess = toolAccess;
        this.events = events;
        this.refusals = refusals;
    }

    public void check(GatewayCall call, String providerId) {
        if (toolAccess == null) {
            return;
        }
        List<ToolSpec> tools = call.tools();
        for (int i = 0; i < tools.size(); i++) {
            String tool = tools.get(i).name();
            ToolAccessDecision decision = toolAccess.checkOffer(call.agentId(), tool);
            if (!decision.allowed()) {
                ToolAccessDeniedException denied = new ToolAccessDeniedException(call.agentId(), tool, decision.outcome(),
                        decision.reason());
                events.toolDenied(denied);
                throw refusals.refuse(call, providerId, call.model(), 1, denied, "tool-access:" + tool);
            }
        }
    }
}
