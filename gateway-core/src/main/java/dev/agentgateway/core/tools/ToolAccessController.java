package dev.agentgateway.core.tools;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which agent may use which tool. Rules are evaluated together: an agent denied by any rule that
 * matches the tool is denied; otherwise, if any matching rule lists allowed agents, the agent
 * must be among them; a tool no rule decides falls to the default policy. A rule may require
 * approval, asked of the {@link ApprovalHandler} when the tool is about to run.
 *
 * <p>Thread-safe: rules may be changed while calls are running.
 */
public final class ToolAccessController {

    private static final int AUDIT_CAPACITY = 10_000;

    private final AccessPolicy defaultPolicy;
    private final CopyOnWriteArrayList<ToolAccessRule> rules = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, LongAdder> denials = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<ToolAccessDecision> audit = new ConcurrentLinkedDeque<>();
    private final AtomicInteger auditSize = new AtomicInteger();
    private volatile ApprovalHandler approvalHandler;
    private volatile Clock clock = Clock.systemUTC();

    public ToolAccessController() {
        this(AccessPolicy.ALLOW);
    }

    public ToolAccessController(AccessPolicy defaultPolicy) {
        this.defaultPolicy = Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    }

    /** The seed's {@code ToolAccessController(default_policy="allow" | "deny")}. */
    public ToolAccessController(String defaultPolicy) {
        this(AccessPolicy.valueOf(Objects.requireNonNull(defaultPolicy, "defaultPolicy").trim().toUpperCase(java.util.Locale.ROOT)));
    }

    public AccessPolicy defaultPolicy() {
        return defaultPolicy;
    }

    public ToolAccessController addRule(ToolAccessRule rule) {
        rules.add(Objects.requireNonNull(rule, "rule"));
        return this;
    }

    public List<ToolAccessRule> rules() {
        return List.copyOf(rules);
    }

    /** Adds {@code agentId} to the allowed agents of each of these tools (creating their rules). */
    public synchronized ToolAccessController setAgentTools(String agentId, Collection<String> toolNames) {
        for (String tool : toolNames) {
            int index = indexOfExactRule(tool);
            if (index < 0) {
                rules.add(ToolAccessRule.forTool(tool).allow(agentId));
            } else {
                rules.set(index, rules.get(index).allow(agentId));
            }
        }
        return this;
    }

    public ToolAccessController approvalHandler(ApprovalHandler handler) {
        this.approvalHandler = handler;
        return this;
    }

    /** The clock of audit timestamps; the gateway hands its own down. */
    public ToolAccessController clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The seed's {@code check_access}: may {@code agentId} use {@code toolName} now? Asks for
     * approval where a rule requires it, and records the decision.
     */
    public boolean checkAccess(String agentId, String toolName) {
        return authorize(new ApprovalRequest(agentId, toolName, null, null)).allowed();
    }

    /** Decides a use of a tool, approval included, and records the decision. */
    public ToolAccessDecision authorize(ApprovalRequest request) {
        return authorize(request, false);
    }

    /**
     * Decides a use of a tool like {@link #authorize(ApprovalRequest)}, except that when approval
     * is needed and no {@link ApprovalHandler} is configured, and {@code durableApproval} is true,
     * the outcome is {@link AccessOutcome#APPROVAL_PENDING} (the run pauses to ask a person) rather
     * than {@link AccessOutcome#NO_APPROVER}. A configured handler wins for the requests it
     * {@linkplain ApprovalHandler#decides decides}: it is the explicit choice to decide on the calling thread.
     */
    public ToolAccessDecision authorize(ApprovalRequest request, boolean durableApproval) {
        Evaluation evaluation = evaluate(request.agentId(), request.toolName());
        AccessOutcome outcome = evaluation.outcome;
        String reason = evaluation.reason;
        if (outcome.isAllowed() && evaluation.needsApproval) {
            ApprovalHandler handler = approvalHandler;
            if (handler != null && !handler.decides(request)) {
                handler = null; // not this handler's to decide: durable approval, or none
            }
            if (handler == null && durableApproval) {
                outcome = AccessOutcome.APPROVAL_PENDING;
                reason = "the tool requires approval: asked of an approver, the run pauses until it is decided";
            } else if (handler == null) {
                outcome = AccessOutcome.NO_APPROVER;
                reason = "the tool requires approval and no approval handler is configured";
            } else if (handler.approve(request)) {
                outcome = AccessOutcome.APPROVED;
                reason = "approved";
            } else {
                outcome = AccessOutcome.APPROVAL_REJECTED;
                reason = "approval was refused";
            }
        }
        return record(request.agentId(), request.toolName(), outcome, reason);
    }

    /**
     * A use a person approved through the durable approvals: the rules are evaluated again (an
     * operator's deny since the request still wins), approval is not asked again.
     */
    public ToolAccessDecision authorizeApproved(ApprovalRequest request, String approvedBy) {
        Evaluation evaluation = evaluate(request.agentId(), request.toolName());
        if (!evaluation.outcome.isAllowed()) {
            return record(request.agentId(), request.toolName(), evaluation.outcome, evaluation.reason);
        }
        return record(request.agentId(), request.toolName(), evaluation.needsApproval ? AccessOutcome.APPROVED : evaluation.outcome,
                evaluation.needsApproval ? "approved by " + approvedBy : evaluation.reason);
    }

    /**
     * May {@code toolName} be offered to {@code agentId}? Approval is not asked here (it is asked
     * when the tool runs). A denial is recorded; an allowed offer is not, to keep calls cheap.
     */
    public ToolAccessDecision checkOffer(String agentId, String toolName) {
        Evaluation evaluation = evaluate(agentId, toolName);
        if (evaluation.outcome.isAllowed()) {
            return new ToolAccessDecision(null, agentId, toolName, evaluation.outcome, evaluation.reason);
        }
        return record(agentId, toolName, evaluation.outcome, evaluation.reason);
    }

    /**
     * Would {@code agentId} be allowed {@code toolName} (pending approval, where required)? Records
     * nothing: for choosing which tools to offer an agent.
     */
    public boolean isPermitted(String agentId, String toolName) {
        return evaluate(agentId, toolName).outcome().isAllowed();
    }

    /** Denials so far, by {@code "agent:tool"}. */
    public Map<String, Long> getDenialStats() {
        Map<String, Long> stats = new TreeMap<>();
        denials.forEach((key, count) -> stats.put(key, count.sum()));
        return stats;
    }

    public long totalDenials() {
        return denials.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The most recent access decisions (up to ten thousand), oldest first. */
    public List<ToolAccessDecision> getAuditTrail() {
        return new ArrayList<>(audit);
    }

    /** Clears statistics and the audit trail; rules stay. */
    public void reset() {
        denials.clear();
        audit.clear();
        auditSize.set(0);
    }

    private record Evaluation(AccessOutcome outcome, String reason, boolean needsApproval) {
    }

    private Evaluation evaluate(String agentId, String toolName) {
        boolean anyAllowList = false;
        boolean listed = false;
        boolean needsApproval = false;
        String allowListPattern = null;
        for (ToolAccessRule rule : rules) {
            if (!rule.appliesTo(toolName)) {
                continue;
            }
            if (rule.denies(agentId)) {
                return new Evaluation(AccessOutcome.DENIED_BY_RULE, "denied by the rule for '" + rule.toolPattern() + "'", false);
            }
            needsApproval |= rule.approvalRequired();
            if (!rule.allowedAgents().isEmpty()) {
                anyAllowList = true;
                allowListPattern = rule.toolPattern();
                listed |= rule.allows(agentId);
            }
        }
        if (anyAllowList && !listed) {
            return new Evaluation(AccessOutcome.DENIED_BY_RULE,
                    "not among the allowed agents of the rule for '" + allowListPattern + "'", false);
        }
        if (!listed && !needsApproval && defaultPolicy == AccessPolicy.DENY) {
            return new Evaluation(AccessOutcome.DENIED_BY_POLICY, "no rule allows it and the default policy is deny", false);
        }
        return new Evaluation(AccessOutcome.ALLOWED, listed ? "allowed by rule" : "allowed by default policy", needsApproval);
    }

    private ToolAccessDecision record(String agentId, String toolName, AccessOutcome outcome, String reason) {
        ToolAccessDecision decision = new ToolAccessDecision(clock.instant(), agentId, toolName, outcome, reason);
        if (!outcome.isAllowed() && outcome != AccessOutcome.APPROVAL_PENDING) {
            denials.computeIfAbsent(agentId + ":" + toolName, key -> new LongAdder()).increment();
        }
        audit.addLast(decision);
        if (auditSize.incrementAndGet() > AUDIT_CAPACITY && audit.pollFirst() != null) {
            auditSize.decrementAndGet();
        }
        return decision;
    }

    private int indexOfExactRule(String toolPattern) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).toolPattern().equals(toolPattern)) {
                return i;
            }
        }
        return -1;
    }
}
