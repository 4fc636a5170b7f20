package dev.agentgateway.autoconfigure;

import dev.agentgateway.core.tools.AccessPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the Agent Gateway, under {@code agent-gateway}. Values that are out of range
 * fail start-up with the name of the property.
 */
@ConfigurationProperties(prefix = "agent-gateway")
public class AgentGatewayProperties {

    /** Whether to auto-configure the gateway at all. */
    private boolean enabled = true;

    /** Provider used by agents that do not name one. "mock" and "scripted" run offline. */
    private String defaultProvider = "mock";

    /** Model used by agents that do not name one. */
    private String defaultModel;

    private final Limits limits = new Limits();

    private final LoopDetection loopDetection = new LoopDetection();

    private final ToolAccess toolAccess = new ToolAccess();

    private final Tools tools = new Tools();

    private final Checkpoint checkpoint = new Checkpoint();

    private final History history = new History();

    /** Provider connections, by provider id (openai, anthropic, gemini, grok, ollama, or your own). */
    private Map<String, Provider> providers = new LinkedHashMap<>();

    /** Prices by model name, overriding the built-in price table. */
    private Map<String, Price> pricing = new LinkedHashMap<>();

    /** Agents, by agent id: provider, model, prompt, tools and limits. Override what @Agent says. */
    private Map<String, AgentSettings> agents = new LinkedHashMap<>();

    /** Limits of named tenants, by tenant id. */
    private Map<String, ScopeLimit> tenants = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getDefaultProvider() {
        return defaultProvider;
    }

    public void setDefaultProvider(String defaultProvider) {
        this.defaultProvider = defaultProvider;
    }

    public String getDefaultModel() {
        return defaultModel;
    }

    public void setDefaultModel(String defaultModel) {
        this.defaultModel = defaultModel;
    }

    public Limits getLimits() {
        return limits;
    }

    public LoopDetection getLoopDetection() {
        return loopDetection;
    }

    public ToolAccess getToolAccess() {
        return toolAccess;
    }

    public Tools getTools() {
        return tools;
    }

    public Checkpoint getCheckpoint() {
        return checkpoint;
    }

    public History getHistory() {
        return history;
    }

    public Map<String, Provider> getProviders() {
        return providers;
    }

    public void setProviders(Map<String, Provider> providers) {
        this.providers = providers;
    }

    public Map<String, Price> getPricing() {
        return pricing;
    }

    public void setPricing(Map<String, Price> pricing) {
        this.pricing = pricing;
    }

    public Map<String, AgentSettings> getAgents() {
        return agents;
    }

    public void setAgents(Map<String, AgentSettings> agents) {
        this.agents = agents;
    }

    public Map<String, ScopeLimit> getTenants() {
        return tenants;
    }

    public void setTenants(Map<String, ScopeLimit> tenants) {
        this.tenants = tenants;
    }

    static Integer requireNonNegative(Integer value, String what) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(what + " must not be negative, was " + value);
        }
        return value;
    }

    static BigDecimal requireNonNegative(BigDecimal value, String what) {
        if (value != null && value.signum() < 0) {
            throw new IllegalArgumentException(what + " must not be negative, was " + value);
        }
        return value;
    }

    /** Budget, step and time limits. */
    public static class Limits {

        /** USD the whole application may spend on LLM calls. */
        private BigDecimal maxBudget;

        /** LLM calls the whole application may make. */
        private Integer maxSteps;

        /** Wall time allowed from the first call, e.g. 10m. */
        private Duration maxTime;

        /** LLM calls each agent may make. */
        private Integer perAgentMaxSteps;

        /** USD each agent may spend. */
        private BigDecimal perAgentMaxBudget;

        /** LLM calls each workflow run may make. */
        private Integer perWorkflowMaxSteps;

        /** USD each workflow run may spend. */
        private BigDecimal perWorkflowMaxBudget;

        /** LLM calls each tenant may make. */
        private Integer perTenantMaxSteps;

        /** USD each tenant may spend. */
        private BigDecimal perTenantMaxBudget;

        /** Share of a limit (between 0 and 1) at which a warning is published. */
        private double warningThreshold = 0.8;

        public BigDecimal getMaxBudget() {
            return maxBudget;
        }

        public void setMaxBudget(BigDecimal maxBudget) {
            this.maxBudget = requireNonNegative(maxBudget, "max-budget");
        }

        public Integer getMaxSteps() {
            return maxSteps;
        }

        public void setMaxSteps(Integer maxSteps) {
            this.maxSteps = requireNonNegative(maxSteps, "max-steps");
        }

        public Duration getMaxTime() {
            return maxTime;
        }

        public void setMaxTime(Duration maxTime) {
            if (maxTime != null && maxTime.isNegative()) {
                throw new IllegalArgumentException("max-time must not be negative, was " + maxTime);
            }
            this.maxTime = maxTime;
        }

        public Integer getPerAgentMaxSteps() {
            return perAgentMaxSteps;
        }

        public void setPerAgentMaxSteps(Integer perAgentMaxSteps) {
            this.perAgentMaxSteps = requireNonNegative(perAgentMaxSteps, "per-agent-max-steps");
        }

        public BigDecimal getPerAgentMaxBudget() {
            return perAgentMaxBudget;
        }

        public void setPerAgentMaxBudget(BigDecimal perAgentMaxBudget) {
            this.perAgentMaxBudget = requireNonNegative(perAgentMaxBudget, "per-agent-max-budget");
        }

        public Integer getPerWorkflowMaxSteps() {
            return perWorkflowMaxSteps;
        }

        public void setPerWorkflowMaxSteps(Integer perWorkflowMaxSteps) {
            this.perWorkflowMaxSteps = requireNonNegative(perWorkflowMaxSteps, "per-workflow-max-steps");
        }

        public BigDecimal getPerWorkflowMaxBudget() {
            return perWorkflowMaxBudget;
        }

        public void setPerWorkflowMaxBudget(BigDecimal perWorkflowMaxBudget) {
            this.perWorkflowMaxBudget = requireNonNegative(perWorkflowMaxBudget, "per-workflow-max-budget");
        }

        public Integer getPerTenantMaxSteps() {
            return perTenantMaxSteps;
        }

        public void setPerTenantMaxSteps(Integer perTenantMaxSteps) {
            this.perTenantMaxSteps = requireNonNegative(perTenantMaxSteps, "per-tenant-max-steps");
        }

        public BigDecimal getPerTenantMaxBudget() {
            return perTenantMaxBudget;
        }

        public void setPerTenantMaxBudget(BigDecimal perTenantMaxBudget) {
            this.perTenantMaxBudget = requireNonNegative(perTenantMaxBudget, "per-tenant-max-budget");
        }

        public double getWarningThreshold() {
            return warningThreshold;
        }

        public void setWarningThreshold(double warningThreshold) {
            if (!(warningThreshold > 0 && warningThreshold <= 1)) {
                throw new IllegalArgumentException("warning-threshold must be in (0, 1], was " + warningThreshold);
            }
            this.warningThreshold = warningThreshold;
        }
    }

    /** Step and budget limits of one tenant. */
    public static class ScopeLimit {

        /** LLM calls allowed. */
        private Integer maxSteps;

        /** USD allowed. */
        private BigDecimal maxBudget;

        public Integer getMaxSteps() {
            return maxSteps;
        }

        public void setMaxSteps(Integer maxSteps) {
            this.maxSteps = requireNonNegative(maxSteps, "max-steps");
        }

        public BigDecimal getMaxBudget() {
            return maxBudget;
        }

        public void setMaxBudget(BigDecimal maxBudget) {
            this.maxBudget = requireNonNegative(maxBudget, "max-budget");
        }
    }

    /** Detection of runs that go round in circles. */
    public static class LoopDetection {

        /** Whether loops are detected. */
        private boolean enabled = true;

        /** Identical consecutive outputs (or tool calls) of one agent that make a loop. */
        private int maxRepeatedOutputs = 3;

        /** Consecutive calls with an unchanged state that make a loop. */
        private int maxNoStateChange = 5;

        /** A-B alternations without progress that make a loop. */
        private int maxPingPong = 4;

        /** Recent calls of a run that are remembered. */
        private int windowSize = 20;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxRepeatedOutputs() {
            return maxRepeatedOutputs;
        }

        public void setMaxRepeatedOutputs(int maxRepeatedOutputs) {
            this.maxRepeatedOutputs = atLeast(maxRepeatedOutputs, 2, "max-repeated-outputs");
        }

        public int getMaxNoStateChange() {
            return maxNoStateChange;
        }

        public void setMaxNoStateChange(int maxNoStateChange) {
            this.maxNoStateChange = atLeast(maxNoStateChange, 2, "max-no-state-change");
        }

        public int getMaxPingPong() {
            return maxPingPong;
        }

        public void setMaxPingPong(int maxPingPong) {
            this.maxPingPong = atLeast(maxPingPong, 2, "max-ping-pong");
        }

        public int getWindowSize() {
            return windowSize;
        }

        public void setWindowSize(int windowSize) {
            this.windowSize = atLeast(windowSize, 4, "window-size");
        }

        private static int atLeast(int value, int minimum, String what) {
            if (value < minimum) {
                throw new IllegalArgumentException(what + " must be at least " + minimum + ", was " + value);
            }
            return value;
        }
    }

    /** Which agent may use which tool. */
    public static class ToolAccess {

        /** What happens to a tool no rule mentions: allow or deny. */
        private AccessPolicy defaultPolicy = AccessPolicy.ALLOW;

        /** Rules, evaluated together: denied agents first, then allowed agents, then the default policy. */
        private List<Rule> rules = new ArrayList<>();

        public AccessPolicy getDefaultPolicy() {
            return defaultPolicy;
        }

        public void setDefaultPolicy(AccessPolicy defaultPolicy) {
            this.defaultPolicy = defaultPolicy;
        }

        public List<Rule> getRules() {
            return rules;
        }

        public void setRules(List<Rule> rules) {
            this.rules = rules;
        }
    }

    /** One tool access rule. */
    public static class Rule {

        /** Tool name or pattern ("*" and "?" wildcards). */
        private String tool;

        /** Agents (or patterns) that may use the tool. */
        private List<String> allowedAgents = new ArrayList<>();

        /** Agents (or patterns) that may not use the tool; checked first. */
        private List<String> deniedAgents = new ArrayList<>();

        /** Whether each use must be approved by the ApprovalHandler bean. */
        private boolean requireApproval;

        public String getTool() {
            return tool;
        }

        public void setTool(String tool) {
            this.tool = tool;
        }

        public List<String> getAllowedAgents() {
            return allowedAgents;
        }

        public void setAllowedAgents(List<String> allowedAgents) {
            this.allowedAgents = allowedAgents;
        }

        public List<String> getDeniedAgents() {
            return deniedAgents;
        }

        public void setDeniedAgents(List<String> deniedAgents) {
            this.deniedAgents = deniedAgents;
        }

        public boolean isRequireApproval() {
            return requireApproval;
        }

        public void setRequireApproval(boolean requireApproval) {
            this.requireApproval = requireApproval;
        }
    }

    /** Execution of tool calls. */
    public static class Tools {

        /** How long the tool calls of one turn may take together. */
        private Duration timeout = Duration.ofSeconds(30);

        /** Iterations of a tool-calling run before it stops with its last answer. */
        private int maxIterations = 10;

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
        }

        public int getMaxIterations() {
            return maxIterations;
        }

        public void setMaxIterations(int maxIterations) {
            if (maxIterations < 1) {
                throw new IllegalArgumentException("max-iterations must be at least 1, was " + maxIterations);
            }
            this.maxIterations = maxIterations;
        }
    }

    /** Checkpoints of workflow runs. */
    public static class Checkpoint {

        /** Whether a checkpoint is taken after every call and tool turn of a workflow run. */
        private boolean enabled;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** The call history. */
    public static class History {

        /** Calls kept by the in-memory history (the oldest are dropped). */
        private int capacity = 10_000;

        /** Whether request and response contents are hidden in Actuator output. */
        private boolean redactContent;

        public int getCapacity() {
            return capacity;
        }

        public void setCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
            }
            this.capacity = capacity;
        }

        public boolean isRedactContent() {
            return redactContent;
        }

        public void setRedactContent(boolean redactContent) {
            this.redactContent = redactContent;
        }
    }

    /** Connection to one provider. */
    public static class Provider {

        /**
         * Which client to use when the provider id is not one of the known ones (openai, anthropic,
         * gemini, grok, ollama): e.g. "openai-compatible" for vLLM, LM Studio or Azure-style gateways.
         */
        private String type;

        /** API key. Never logged or shown. */
        private String apiKey;

        /** Base URL, for OpenAI-compatible endpoints, proxies and tests. */
        private String baseUrl;

        /** Default model of this provider. */
        private String model;

        /** Time-out of one call. */
        private Duration timeout = Duration.ofSeconds(60);

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getApiKey() {
            return apiKey;
        }

        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
        }

        @Override
        public String toString() {
            return "Provider{baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "******") + "}";
        }
    }

    /** USD per million tokens of one model. */
    public static class Price {

        /** USD per million input tokens. */
        private BigDecimal inputPerMillion;

        /** USD per million output tokens. */
        private BigDecimal outputPerMillion;

        public BigDecimal getInputPerMillion() {
            return inputPerMillion;
        }

        public void setInputPerMillion(BigDecimal inputPerMillion) {
            this.inputPerMillion = requireNonNegative(inputPerMillion, "input-per-million");
        }

        public BigDecimal getOutputPerMillion() {
            return outputPerMillion;
        }

        public void setOutputPerMillion(BigDecimal outputPerMillion) {
            this.outputPerMillion = requireNonNegative(outputPerMillion, "output-per-million");
        }
    }

    /** Settings of one agent; each overrides what its @Agent annotation says. */
    public static class AgentSettings {

        /** Provider id. */
        private String provider;

        /** Model. */
        private String model;

        /** System prompt. */
        private String systemPrompt;

        /** Tools the agent may use (names). */
        private List<String> allowedTools;

        /** LLM calls this agent may make. */
        private Integer maxSteps;

        /** USD this agent may spend. */
        private BigDecimal maxBudget;

        /** Iterations of one tool-calling run. */
        private Integer maxIterations;

        /** Sampling temperature. */
        private Double temperature;

        /** Maximum output tokens of one call. */
        private Integer maxTokens;

        public String getProvider() {
            return provider;
        }

        public void setProvider(String provider) {
            this.provider = provider;
        }

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }

        public String getSystemPrompt() {
            return systemPrompt;
        }

        public void setSystemPrompt(String systemPrompt) {
            this.systemPrompt = systemPrompt;
        }

        public List<String> getAllowedTools() {
            return allowedTools;
        }

        public void setAllowedTools(List<String> allowedTools) {
            this.allowedTools = allowedTools;
        }

        public Integer getMaxSteps() {
            return maxSteps;
        }

        public void setMaxSteps(Integer maxSteps) {
            this.maxSteps = requireNonNegative(maxSteps, "max-steps");
        }

        public BigDecimal getMaxBudget() {
            return maxBudget;
        }

        public void setMaxBudget(BigDecimal maxBudget) {
            this.maxBudget = requireNonNegative(maxBudget, "max-budget");
        }

        public Integer getMaxIterations() {
            return maxIterations;
        }

        public void setMaxIterations(Integer maxIterations) {
            if (maxIterations != null && maxIterations < 1) {
                throw new IllegalArgumentException("max-iterations must be at least 1, was " + maxIterations);
            }
            this.maxIterations = maxIterations;
        }

        public Double getTemperature() {
            return temperature;
        }

        public void setTemperature(Double temperature) {
            if (temperature != null && (temperature < 0 || temperature > 2)) {
                throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
            }
            this.temperature = temperature;
        }

        public Integer getMaxTokens() {
            return maxTokens;
        }

        public void setMaxTokens(Integer maxTokens) {
            if (maxTokens != null && maxTokens < 1) {
                throw new IllegalArgumentException("max-tokens must be positive, was " + maxTokens);
            }
            this.maxTokens = maxTokens;
        }
    }
}
