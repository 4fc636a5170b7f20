package dev.agentgateway.autoconfigure.actuate;

import jakarta.validation.Valid;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the gateway's Actuator endpoints, meters and observations, under
 * {@code agent-gateway.actuator}. Whether an endpoint is reachable at all is decided by Actuator's
 * own exposure and access rules ({@code management.endpoints.web.exposure.include}); these
 * settings only refine what an exposed endpoint offers.
 */
@ConfigurationProperties(prefix = "agent-gateway.actuator")
@Validated
public class AgentGatewayActuatorProperties {

    /**
     * Whether "/actuator/agentgateway" offers its write operations: update limits, stop and
     * resume all agents, pause and resume one agent, reset. Off by default: the operations are then
     * not mapped at all, so they cannot be invoked.
     */
    private boolean writeEnabled;

    /** The call history endpoint ("/actuator/agentcalls"). */
    @Valid
    private final Calls calls = new Calls();

    /** The checkpoint endpoint ("/actuator/agentcheckpoints"). */
    @Valid
    private final Checkpoints checkpoints = new Checkpoints();

    /** Micrometer meters of the gateway. */
    private final Metrics metrics = new Metrics();

    /** Micrometer Observation spans of runs, provider attempts and tool executions. */
    private final Observations observations = new Observations();

    public boolean isWriteEnabled() {
        return writeEnabled;
    }

    public void setWriteEnabled(boolean writeEnabled) {
        this.writeEnabled = writeEnabled;
    }

    public Calls getCalls() {
        return calls;
    }

    public Checkpoints getCheckpoints() {
        return checkpoints;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Observations getObservations() {
        return observations;
    }

    /** The call history endpoint. */
    public static class Calls {

        /** Calls (and tool calls) returned when a request sets no "limit": the newest ones. */
        @PositiveOrZero
        private int defaultLimit = 100;

        /** The largest "limit" a request may ask for; larger values are lowered to it. */
        @PositiveOrZero
        private int maxLimit = 1_000;

        /**
         * How many of the newest calls are searched when one call is asked for by id
         * ("/actuator/agentcalls/{callId}"); older calls answer 404. Bounds the work a request
         * can cause with a large persistent history.
         */
        @PositiveOrZero
        private int lookupWindow = 10_000;

        public int getDefaultLimit() {
            return defaultLimit;
        }

        public void setDefaultLimit(int defaultLimit) {
            this.defaultLimit = defaultLimit;
        }

        public int getMaxLimit() {
            return maxLimit;
        }

        public void setMaxLimit(int maxLimit) {
            this.maxLimit = maxLimit;
        }

        public int getLookupWindow() {
            return lookupWindow;
        }

        public void setLookupWindow(int lookupWindow) {
            this.lookupWindow = lookupWindow;
        }
    }

    /** The checkpoint endpoint. */
    public static class Checkpoints {

        /**
         * How many of the newest calls in the history are searched for workflow ids when the
         * endpoint lists workflows with checkpoints (workflows with usage in the budget ledger are
         * always listed).
         */
        @PositiveOrZero
        private int discoveryWindow = 1_000;

        public int getDiscoveryWindow() {
            return discoveryWindow;
        }

        public void setDiscoveryWindow(int discoveryWindow) {
            this.discoveryWindow = discoveryWindow;
        }
    }

    /** Micrometer meters. */
    public static class Metrics {

        /** Whether the gateway records its meters ("gen_ai.client.*" and "agent_gateway.*"). */
        private boolean enabled = true;

        /**
         * Whether the GenAI duration and token histograms publish the bucket boundaries the
         * OpenTelemetry GenAI conventions advise, so that percentiles can be computed in Prometheus.
         */
        private boolean histogramBuckets = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isHistogramBuckets() {
            return histogramBuckets;
        }

        public void setHistogramBuckets(boolean histogramBuckets) {
            this.histogramBuckets = histogramBuckets;
        }
    }

    /** Observation spans. */
    public static class Observations {

        /** Whether runs, provider attempts and tool executions are observed (and so traced). */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
