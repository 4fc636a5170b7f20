package dev.agentgateway.spring.actuate;

/**
 * Bounds of {@link AgentCallsEndpoint}.
 *
 * @param defaultLimit records listed when the request gives no limit
 * @param maxLimit     records listed at most, whatever the request asks
 * @param lookupWindow most recent records searched for one call id
 */
public record CallsEndpointSettings(int defaultLimit, int maxLimit, int lookupWindow) {
}
