package dev.agentgateway.spring.actuate;

/**
 * Bounds of {@link AgentCheckpointsEndpoint}.
 *
 * @param discoveryWindow most recent history records searched for workflows that have checkpoints
 */
public record CheckpointsEndpointSettings(int discoveryWindow) {
}
