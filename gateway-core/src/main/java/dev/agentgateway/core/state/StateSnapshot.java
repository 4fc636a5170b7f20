package dev.agentgateway.core.state;

import java.time.Instant;
import java.util.Map;

/** A frozen copy of a {@link SharedState} at one version. */
public record StateSnapshot(int version, Map<String, Object> data, Instant timestamp) {
}
