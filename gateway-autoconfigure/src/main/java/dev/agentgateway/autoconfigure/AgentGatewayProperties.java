package dev.agentgateway.autoconfigure;

import dev.agentgateway.core.tools.AccessPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the Agent Gateway, under {@code agent-gateway}. Values that are out of range
 * fail start-up with the name of the property (Bean Validation, which the starter brings).
 */
@ConfigurationProperties(prefix = "agent-gateway")
@Validated
public class AgentGatewayProperties {

    /** Whether to auto-configure the gateway at all. */
    private boolean enabled = true;

    /** Provider used by agents that do not name one. "mock" and "scripted" run offline. */
    private String defaultProvider = "mock";

    /** Model used by agents that do not name one. */
    private String defaultModel;

    @Valid
    private final Limits limits = new Limits();

    @Valid
    private final LoopDetection loopDetection = new LoopDetection();

    @Valid
    private final ToolAccess toolAccess = new ToolAccess();

    @Valid
    private final ToolExecution toolExecution = new ToolExecution();

    @Valid
    private final Stream stream = new Stream();

    /**
     * Tools, by tool name: each one's rate limit, calls per run and per agent, cost per call, exemption from the
     * run's iteration count and result size. All but the rate limit may be set for a name pattern too (* and ?, e.g.
     * github_*): a tool's own name wins over patterns, of several patterns the first declared wins, and a pattern's
     * calls are counted for all the tools it matches together.
     */
    private Map<String, @Valid ToolSettings> tools = new LinkedHashMap<>();

    private final Checkpoint checkpoint = new Checkpoint();

    @Valid
    private final History history = new History();

    /** Provider connections, by provider id (openai, anthropic, gemini, grok, ollama, or your own). */
    private Map<String, @Valid Provider> providers = new LinkedHashMap<>();

    /** Prices by model name, overriding the built-in price table. */
    private Map<String, @Valid Price> pricing = new LinkedHashMap<>();

    /**
     * Whether calls to a model without a price may run while a budget applies to them (recorded
     * at cost 0 and flagged unpriced). Off: such a call is refused before the provider.
     */
    private boolean allowUnpricedModels;

    /**
     * Agents, by agent id: provider, model, prompt, granted tools, limits, rate limit and fallbacks.
     * Override what @Agent says.
     */
    private Map<String, @Valid AgentSettings> agents = new LinkedHashMap<>();

    /** Limits of named tenants, by tenant id. */
    private Map<String, @Valid ScopeLimit> tenants = new LinkedHashMap<>();

    /** Where the tenant of an agent's call comes from when the code names none (@Tenant, GatewayContext). */
    private final TenantResolution tenant = new TenantResolution();

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

    public ToolExecution getToolExecution() {
        return toolExecution;
    }

    public Stream getStream() {
        return stream;
    }

    public Map<String, ToolSettings> getTools() {
        return tools;
    }

    public void setTools(Map<String, ToolSettings> tools) {
        this.tools = tools;
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

    public boolean isAllowUnpricedModels() {
        return allowUnpricedModels;
    }

    public void setAllowUnpricedModels(boolean allowUnpricedModels) {
        this.allowUnpricedModels = allowUnpricedModels;
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

    public TenantResolution getTenant() {
        return tenant;
    }



    /** Budget, step and time limits. */
    public static class Limits {

        /** USD the whole application may spend on LLM calls. */
        @DecimalMin("0")
        private BigDecimal maxBudget;

        /** LLM calls the whole application may make. */
        @PositiveOrZero
        private Integer maxSteps;

        /** Wall time allowed from the first call, e.g. 10m. */
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
        private Duration maxTime;

        /** LLM calls each agent may make. */
        @PositiveOrZero
        private Integer perAgentMaxSteps;

        /** USD each agent may spend. */
        @DecimalMin("0")
        private BigDecimal perAgentMaxBudget;

        /** LLM calls each workflow run may make. */
        @PositiveOrZero
        private Integer perWorkflowMaxSteps;

        /** USD each workflow run may spend. */
        @DecimalMin("0")
        private BigDecimal perWorkflowMaxBudget;

        /** LLM calls each tenant may make. */
        @PositiveOrZero
        private Integer perTenantMaxSteps;

        /** USD each tenant may spend. */
        @DecimalMin("0")
        private BigDecimal perTenantMaxBudget;

        /** Share of a limit (between 0 and 1) at which a warning is published. */
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("1")
        private double warningThreshold = 0.8;

        public BigDecimal getMaxBudget() {
            return maxBudget;
        }

        public void setMaxBudget(BigDecimal maxBudget) {
            this.maxBudget = maxBudget;
        }

        public Integer getMaxSteps() {
            return maxSteps;
        }

        public void setMaxSteps(Integer maxSteps) {
            this.maxSteps = maxSteps;
        }

        public Duration getMaxTime() {
            return maxTime;
        }

        public void setMaxTime(Duration maxTime) {
            this.maxTime = maxTime;
        }

        public Integer getPerAgentMaxSteps() {
            return perAgentMaxSteps;
        }

        public void setPerAgentMaxSteps(Integer perAgentMaxSteps) {
            this.perAgentMaxSteps = perAgentMaxSteps;
        }

        public BigDecimal getPerAgentMaxBudget() {
            return perAgentMaxBudget;
        }

        public void setPerAgentMaxBudget(BigDecimal perAgentMaxBudget) {
            this.perAgentMaxBudget = perAgentMaxBudget;
        }

        public Integer getPerWorkflowMaxSteps() {
            return perWorkflowMaxSteps;
        }

        public void setPerWorkflowMaxSteps(Integer perWorkflowMaxSteps) {
            this.perWorkflowMaxSteps = perWorkflowMaxSteps;
        }

        public BigDecimal getPerWorkflowMaxBudget() {
            return perWorkflowMaxBudget;
        }

        public void setPerWorkflowMaxBudget(BigDecimal perWorkflowMaxBudget) {
            this.perWorkflowMaxBudget = perWorkflowMaxBudget;
        }

        public Integer getPerTenantMaxSteps() {
            return perTenantMaxSteps;
        }

        public void setPerTenantMaxSteps(Integer perTenantMaxSteps) {
            this.perTenantMaxSteps = perTenantMaxSteps;
        }

        public BigDecimal getPerTenantMaxBudget() {
            return perTenantMaxBudget;
        }

        public void setPerTenantMaxBudget(BigDecimal perTenantMaxBudget) {
            this.perTenantMaxBudget = perTenantMaxBudget;
        }

        public double getWarningThreshold() {
            return warningThreshold;
        }

        public void setWarningThreshold(double warningThreshold) {
            this.warningThreshold = warningThreshold;
        }
    }

    /** Step and budget limits of one tenant or agent. */
    public static class ScopeLimit {

        /** LLM calls allowed. */
        @PositiveOrZero
        private Integer maxSteps;

        /** USD allowed. */
        @DecimalMin("0")
        private BigDecimal maxBudget;

        public Integer getMaxSteps() {
            return maxSteps;
        }

        public void setMaxSteps(Integer maxSteps) {
            this.maxSteps = maxSteps;
        }

        public BigDecimal getMaxBudget() {
            return maxBudget;
        }

        public void setMaxBudget(BigDecimal maxBudget) {
            this.maxBudget = maxBudget;
        }
    }

    /** Detection of runs that go round in circles. */
    public static class LoopDetection {

        /** Whether loops are detected. */
        private boolean enabled = true;

        /** Identical consecutive outputs (or tool calls) of one agent that make a loop. */
        @Min(2)
        private int maxRepeatedOutputs = 3;

        /** Consecutive calls with an unchanged state that make a loop. */
        @Min(2)
        private int maxNoStateChange = 5;

        /** A-B alternations without progress that make a loop. */
        @Min(2)
        private int maxPingPong = 4;

        /** Recent calls of a run that are remembered. */
        @Min(4)
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
            this.maxRepeatedOutputs = maxRepeatedOutputs;
        }

        public int getMaxNoStateChange() {
            return maxNoStateChange;
        }

        public void setMaxNoStateChange(int maxNoStateChange) {
            this.maxNoStateChange = maxNoStateChange;
        }

        public int getMaxPingPong() {
            return maxPingPong;
        }

        public void setMaxPingPong(int maxPingPong) {
            this.maxPingPong = maxPingPong;
        }

        public int getWindowSize() {
            return windowSize;
        }

        public void setWindowSize(int windowSize) {
            this.windowSize = windowSize;
        }

        /** A ping-pong of max-ping-pong alternations must fit in the window. */
        @AssertTrue(message = "window-size must be at least twice max-ping-pong")
        boolean isWindowLargeEnough() {
            return !enabled || windowSize >= 2 * maxPingPong;
        }

    }

    /** Which agent may use which tool. */
    public static class ToolAccess {

        /** What happens to a tool no rule mentions: allow or deny. */
        private AccessPolicy defaultPolicy = AccessPolicy.ALLOW;

        /** Rules, evaluated together: denied agents first, then allowed agents, then the default policy. */
        private List<@Valid Rule> rules = new ArrayList<>();

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
        @NotBlank
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

    /**
     * How the gateway runs the tool calls of an agent's turns. Not per tool (agent-gateway.tools.[name] is
     * that): the time-out covers all the tool calls of one turn, the iterations one whole run.
     */
    public static class ToolExecution {

        /** How long the tool calls of one turn may take together. */
        @NotNull
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
        private Duration timeout = Duration.ofSeconds(30);

        /** Iterations of a tool-calling run before it stops with its last answer. */
        @Min(1)
        private int maxIterations = 10;

        /**
         * Characters of a tool's result sent back to the model: a longer result is cut there, with a marker the
         * model can read, and its call recorded as truncated. agent-gateway.tools.[name].max-result-size overrides it.
         */
        @Min(1)
        private int maxResultSize = 100_000;

        public int getMaxResultSize() {
            return maxResultSize;
        }

        public void setMaxResultSize(int maxResultSize) {
            this.maxResultSize = maxResultSize;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public int getMaxIterations() {
            return maxIterations;
        }

        public void setMaxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
        }
    }

    /**
     * How streamed calls (ChatClient {@code .stream()}, {@code @Agent} methods returning {@code Flux},
     * {@code Gateway.stream}) are cut off beyond the limits every call has.
     */
    public static class Stream {

        /**
         * How long one streamed call may take in all before it is cut off with a ProviderTimeoutException (finish
         * reason timeout), charged what was sent and received. Unset: only the run's time limit bounds a stream.
         */
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
        private Duration timeout;

        @Valid
        private final Repetition repetition = new Repetition();

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Repetition getRepetition() {
            return repetition;
        }
    }

    /**
     * Cuts a stream whose output ends in one block of text repeated repeats times in a row, with a
     * LoopDetectedException (REPEATED_STREAM_OUTPUT). A run of one character min-block-length x repeats long
     * counts too, so keep that product above the longest rule line or table border the answers may contain.
     */
    public static class Repetition {

        /** Whether streams are cut off when their output degenerates into repetition. */
        private boolean enabled;

        /** Shortest repeated block, in characters. */
        @Min(1)
        private int minBlockLength = 8;

        /** Longest repeated block looked for, in characters. */
        @Min(1)
        private int maxBlockLength = 400;

        /** Consecutive copies of a block that cut the stream off. */
        @Min(2)
        private int repeats = 8;

        @AssertTrue(message = "max-block-length must be at least min-block-length")
        boolean isBlockRangeValid() {
            return maxBlockLength >= minBlockLength;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMinBlockLength() {
            return minBlockLength;
        }

        public void setMinBlockLength(int minBlockLength) {
            this.minBlockLength = minBlockLength;
        }

        public int getMaxBlockLength() {
            return maxBlockLength;
        }

        public void setMaxBlockLength(int maxBlockLength) {
            this.maxBlockLength = maxBlockLength;
        }

        public int getRepeats() {
            return repeats;
        }

        public void setRepeats(int repeats) {
            this.repeats = repeats;
        }
    }

    /**
     * How the tenant of an agent's call is found when its code names none: from the authenticated
     * principal (Spring Security), then from a request header. A tenant named by the code
     * ({@code @Tenant}, {@code GatewayContext}) always wins.
     */
    public static class TenantResolution {

        /**
         * Name of the HTTP request header that carries the tenant id (e.g. X-Tenant-Id). The header is
         * trusted as sent: set it at a proxy that authenticates the caller, or prefer from-principal.
         */
        private String fromHeader;

        /** Whether the authenticated principal's name (Spring Security) is the tenant. */
        private boolean fromPrincipal;

        /**
         * Whether a call whose tenant none of the configured sources gives is refused before the model
         * (so no call escapes its tenant's limits). Applies only when from-header or from-principal is set.
         */
        private boolean required = true;

        public String getFromHeader() {
            return fromHeader;
        }

        public void setFromHeader(String fromHeader) {
            this.fromHeader = fromHeader;
        }

        public boolean isFromPrincipal() {
            return fromPrincipal;
        }

        public void setFromPrincipal(boolean fromPrincipal) {
            this.fromPrincipal = fromPrincipal;
        }

        public boolean isRequired() {
            return required;
        }

        public void setRequired(boolean required) {
            this.required = required;
        }
    }

    /** Settings of one tool. */
    public static class ToolSettings {

        /** Calls of this tool allowed per window (all agents together); none when unset. */
        @Valid
        private RateLimit rateLimit;

        /**
         * Calls of this tool in one tool-calling run; past it the model gets "tool limit reached: ..." as the result
         * and the call is recorded as limit_reached. None when unset.
         */
        @Positive
        private Integer maxCallsPerRun;

        /**
         * Calls of this tool by one agent over all its runs, counted in memory by each application instance since it
         * started (not shared between instances). None when unset.
         */
        @Positive
        private Integer maxCallsPerAgent;

        /**
         * USD one call of this tool costs (a paid search API, say): reserved on the call's budgets (global, tenant,
         * agent, run) before the tool runs, as a model call's cost is, and committed once it ran. Needs the in-memory
         * budget ledger: the JPA ledger cannot hold a cost without a step yet, and start-up fails.
         */
        @PositiveOrZero
        private BigDecimal costPerCall;

        /**
         * Whether a turn that only calls tools exempt from steps leaves the run's iteration count (max-iterations)
         * as it was: for cheap polling tools. Needs max-calls-per-run. The model calls still count on max-steps and
         * the budgets.
         */
        private boolean exemptFromSteps;

        /** Characters of this tool's result sent back to the model; agent-gateway.tool-execution.max-result-size when unset. */
        @Positive
        private Integer maxResultSize;

        public RateLimit getRateLimit() {
            return rateLimit;
        }

        public void setRateLimit(RateLimit rateLimit) {
            this.rateLimit = rateLimit;
        }

        public Integer getMaxCallsPerRun() {
            return maxCallsPerRun;
        }

        public void setMaxCallsPerRun(Integer maxCallsPerRun) {
            this.maxCallsPerRun = maxCallsPerRun;
        }

        public Integer getMaxCallsPerAgent() {
            return maxCallsPerAgent;
        }

        public void setMaxCallsPerAgent(Integer maxCallsPerAgent) {
            this.maxCallsPerAgent = maxCallsPerAgent;
        }

        public BigDecimal getCostPerCall() {
            return costPerCall;
        }

        public void setCostPerCall(BigDecimal costPerCall) {
            this.costPerCall = costPerCall;
        }

        public boolean isExemptFromSteps() {
            return exemptFromSteps;
        }

        public void setExemptFromSteps(boolean exemptFromSteps) {
            this.exemptFromSteps = exemptFromSteps;
        }

        public Integer getMaxResultSize() {
            return maxResultSize;
        }

        public void setMaxResultSize(Integer maxResultSize) {
            this.maxResultSize = maxResultSize;
        }

        /** A polling tool exempt from the iteration count must be bounded by its own count. */
        @AssertTrue(message = "exempt-from-steps needs max-calls-per-run, so that a model polling the tool cannot run for ever")
        boolean isExemptionBounded() {
            return !exemptFromSteps || maxCallsPerRun != null;
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
        @Min(1)
        private int capacity = 10_000;

        /** Whether request and response contents are hidden in Actuator output. */
        private boolean redactContent;

        public int getCapacity() {
            return capacity;
        }

        public void setCapacity(int capacity) {
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
        @NotNull
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
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
        @NotNull
        @DecimalMin("0")
        private BigDecimal inputPerMillion;

        /** USD per million output tokens. */
        @NotNull
        @DecimalMin("0")
        private BigDecimal outputPerMillion;

        /** USD per million input tokens read from the provider's prompt cache (default: the input price). */
        @DecimalMin("0")
        private BigDecimal cachedInputPerMillion;

        /** USD per million input tokens written to the provider's prompt cache (default: the input price). */
        @DecimalMin("0")
        private BigDecimal cacheWritePerMillion;

        public BigDecimal getInputPerMillion() {
            return inputPerMillion;
        }

        public void setInputPerMillion(BigDecimal inputPerMillion) {
            this.inputPerMillion = inputPerMillion;
        }

        public BigDecimal getOutputPerMillion() {
            return outputPerMillion;
        }

        public void setOutputPerMillion(BigDecimal outputPerMillion) {
            this.outputPerMillion = outputPerMillion;
        }

        public BigDecimal getCachedInputPerMillion() {
            return cachedInputPerMillion;
        }

        public void setCachedInputPerMillion(BigDecimal cachedInputPerMillion) {
            this.cachedInputPerMillion = cachedInputPerMillion;
        }

        public BigDecimal getCacheWritePerMillion() {
            return cacheWritePerMillion;
        }

        public void setCacheWritePerMillion(BigDecimal cacheWritePerMillion) {
            this.cacheWritePerMillion = cacheWritePerMillion;
        }
    }

    /** Settings of one agent, its step and budget limits included; each overrides what its @Agent annotation says. */
    /** What an agent's tool runs do at a limit, per limit ({@code fail} or {@code finish}). */
    public static class OnLimitSettings {

        /**
         * At a step limit: fail (the run ends with the limit's error) or finish (one step is kept back
         * for a last call without tools that asks the model to conclude).
         */
        private dev.agentgateway.core.limits.OnLimit steps = dev.agentgateway.core.limits.OnLimit.FAIL;

        /**
         * At a budget limit: fail, or finish (finish-reserve USD is kept back for a last call without
         * tools that asks the model to conclude).
         */
        private dev.agentgateway.core.limits.OnLimit budget = dev.agentgateway.core.limits.OnLimit.FAIL;

        /** USD each budget keeps back for the last call when budget is finish; required then. */
        private java.math.BigDecimal finishReserve;

        public dev.agentgateway.core.limits.OnLimit getSteps() {
            return steps;
        }

        public void setSteps(dev.agentgateway.core.limits.OnLimit steps) {
            this.steps = steps;
        }

        public dev.agentgateway.core.limits.OnLimit getBudget() {
            return budget;
        }

        public void setBudget(dev.agentgateway.core.limits.OnLimit budget) {
            this.budget = budget;
        }

        public java.math.BigDecimal getFinishReserve() {
            return finishReserve;
        }

        public void setFinishReserve(java.math.BigDecimal finishReserve) {
            this.finishReserve = finishReserve;
        }
    }

    /** What an agent's calls do past a budget's warning threshold. */
    public static class OnBudgetWarning {

        /** The cheaper model the agent's calls go to (recorded as such in the history); none: stay on the agent's model. */
        private String model;

        public String getModel() {
            return model;
        }

        public void setModel(String model) {
            this.model = model;
        }
    }

    public static class AgentSettings extends ScopeLimit {

        /** Provider id. */
        private String provider;

        /** Model. */
        private String model;

        /** System prompt. */
        private String systemPrompt;

        /**
         * Tools granted to this agent (names): it may use them, and they become reserved to the agents
         * that list them. Offered to the agent when its @Agent lists no tools of its own.
         */
        private List<String> allowedTools;

        /** Iterations of one tool-calling run. */
        @Min(1)
        private Integer maxIterations;

        /** Sampling temperature. */
        @DecimalMin("0")
        @DecimalMax("2")
        private Double temperature;

        /** Maximum output tokens of one call. */
        @Positive
        private Integer maxTokens;

        /**
         * Ordered provider/model pairs this agent falls back to when its own fail (after their
         * retries), instead of agent-gateway.resilience.fallbacks.
         */
        private List<@Valid Target> fallbacks = new ArrayList<>();

        /** LLM calls this agent may make per window; none when unset. */
        @Valid
        private RateLimit rateLimit;

        /** What this agent's tool runs do when their next call would break a limit. */
        private final OnLimitSettings onLimit = new OnLimitSettings();

        /** What this agent's calls do once a budget they count on passes its warning threshold. */
        private final OnBudgetWarning onBudgetWarning = new OnBudgetWarning();

        public OnLimitSettings getOnLimit() {
            return onLimit;
        }

        public OnBudgetWarning getOnBudgetWarning() {
            return onBudgetWarning;
        }

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

        public Integer getMaxIterations() {
            return maxIterations;
        }

        public void setMaxIterations(Integer maxIterations) {
            this.maxIterations = maxIterations;
        }

        public Double getTemperature() {
            return temperature;
        }

        public void setTemperature(Double temperature) {
            this.temperature = temperature;
        }

        public Integer getMaxTokens() {
            return maxTokens;
        }

        public void setMaxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
        }

        public List<Target> getFallbacks() {
            return fallbacks;
        }

        public void setFallbacks(List<Target> fallbacks) {
            this.fallbacks = fallbacks == null ? new ArrayList<>() : fallbacks;
        }

        public RateLimit getRateLimit() {
            return rateLimit;
        }

        public void setRateLimit(RateLimit rateLimit) {
            this.rateLimit = rateLimit;
        }
    }

    /** A provider and model to fall back to. */
    public static class Target {

        /** Provider id, as registered with the gateway (e.g. anthropic). */
        @NotBlank
        private String provider;

        /** Model to ask that provider for; empty means the provider's default model. */
        private String model;

        public Target() {
        }

        public Target(String provider, String model) {
            this.provider = provider;
            this.model = model;
        }

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

        @Override
        public boolean equals(Object other) {
            return other instanceof Target target && Objects.equals(provider, target.provider)
                    && Objects.equals(model, target.model);
        }

        @Override
        public int hashCode() {
            return Objects.hash(provider, model);
        }

        @Override
        public String toString() {
            return provider + "/" + model;
        }
    }

    /** Calls allowed per window (a Resilience4j rate limiter). */
    public static class RateLimit {

        /** Calls allowed in each refresh period. */
        @Min(1)
        private int limitForPeriod = 60;

        /** Length of the window after which the allowance is renewed. */
        @NotNull
        @DurationMin(nanos = 0, inclusive = false, message = "must be a positive duration")
        private Duration refreshPeriod = Duration.ofMinutes(1);

        /** How long a call waits for permission before it is refused (0 refuses at once). */
        @NotNull
        @DurationMin(nanos = 0, message = "must not be negative")
        private Duration timeout = Duration.ZERO;

        public int getLimitForPeriod() {
            return limitForPeriod;
        }

        public void setLimitForPeriod(int limitForPeriod) {
            this.limitForPeriod = limitForPeriod;
        }

        public Duration getRefreshPeriod() {
            return refreshPeriod;
        }

        public void setRefreshPeriod(Duration refreshPeriod) {
            this.refreshPeriod = refreshPeriod;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
