package dev.agentgateway.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's controls: the kill switch, which refuses every new call of every agent, and
 * paused agents, whose new calls are refused until they are resumed. Calls already past the
 * control stage finish.
 */
public final class GatewayControl {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private volatile boolean stopped;
    private final Set<String> pausedAgents = ConcurrentHashMap.newKeySet();

    /** The kill switch: every new call is refused with {@link GatewayStoppedException}. */
    public void stopAll() {
        stopped = true;
        log.warn("Gateway stopped: all new LLM calls are refused");
    }

    /** Lifts {@link #stopAll()}. */
    public void resumeAll() {
        stopped = false;
        log.info("Gateway resumed");
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Refuses new calls of one agent with {@link AgentPausedException} until {@link #resumeAgent}. */
    public void pauseAgent(String agentId) {
        pausedAgents.add(Objects.requireNonNull(agentId, "agentId"));
        log.warn("Agent '{}' paused", agentId);
    }

    public void resumeAgent(String agentId) {
        pausedAgents.remove(agentId);
        log.info("Agent '{}' resumed", agentId);
    }

    public boolean isPaused(String agentId) {
        return pausedAgents.contains(agentId);
    }

    public Set<String> pausedAgents() {
        return Set.copyOf(pausedAgents);
    }
}
