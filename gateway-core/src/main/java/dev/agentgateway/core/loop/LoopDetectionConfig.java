package dev.agentgateway.core.loop;

/**
 * When a run counts as stuck. Defaults are the seed's.
 *
 * @param maxRepeatedOutputs identical consecutive outputs of one agent (and identical consecutive
 *                           tool calls) that make a loop; default 3
 * @param maxNoStateChange   consecutive calls with an unchanged state that make a loop; default 5
 * @param maxPingPong        A↔B alternations (pairs) that make a loop; default 4
 * @param windowSize         how many recent calls of a run are remembered; default 20
 */
public record LoopDetectionConfig(int maxRepeatedOutputs, int maxNoStateChange, int maxPingPong, int windowSize) {

    public static final int DEFAULT_MAX_REPEATED_OUTPUTS = 3;
    public static final int DEFAULT_MAX_NO_STATE_CHANGE = 5;
    public static final int DEFAULT_MAX_PING_PONG = 4;
    public static final int DEFAULT_WINDOW_SIZE = 20;

    public LoopDetectionConfig {
        requireAtLeast("maxRepeatedOutputs", maxRepeatedOutputs, 2);
        requireAtLeast("maxNoStateChange", maxNoStateChange, 2);
        requireAtLeast("maxPingPong", maxPingPong, 2);
        requireAtLeast("windowSize", windowSize, 2 * maxPingPong);
    }

    public static LoopDetectionConfig defaults() {
        return new LoopDetectionConfig(DEFAULT_MAX_REPEATED_OUTPUTS, DEFAULT_MAX_NO_STATE_CHANGE, DEFAULT_MAX_PING_PONG,
                DEFAULT_WINDOW_SIZE);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requireAtLeast(String name, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ", was " + value);
        }
    }

    public static final class Builder {
        private int maxRepeatedOutputs = DEFAULT_MAX_REPEATED_OUTPUTS;
        private int maxNoStateChange = DEFAULT_MAX_NO_STATE_CHANGE;
        private int maxPingPong = DEFAULT_MAX_PING_PONG;
        private int windowSize = DEFAULT_WINDOW_SIZE;

        private Builder() {
        }

        public Builder maxRepeatedOutputs(int value) {
            this.maxRepeatedOutputs = value;
            return this;
        }

        public Builder maxNoStateChange(int value) {
            this.maxNoStateChange = value;
            return this;
        }

        public Builder maxPingPong(int value) {
            this.maxPingPong = value;
            return this;
        }

        public Builder windowSize(int value) {
            this.windowSize = value;
            return this;
        }

        public LoopDetectionConfig build() {
            return new LoopDetectionConfig(maxRepeatedOutputs, maxNoStateChange, maxPingPong, windowSize);
        }
    }
}
