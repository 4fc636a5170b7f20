package dev.agentgateway.core.approval;

import dev.agentgateway.core.approval.internal.EditedArguments;
import dev.agentgateway.core.provider.ToolCall;
import dev.agentgateway.core.secrets.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Java API of durable approvals: what the gateway asks when a run reaches a tool that needs
 * approval, and what a person (through code, Actuator or a REST API) decides. Decisions go to the
 * {@link ApprovalStore}, so they are exactly-once across instances sharing it; listeners hear of
 * every request and decision (meters, events, the resumer of paused runs). Thread-safe.
 */
public final class Approvals {

    /** How long an approval waits for a decision unless configured otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    private static final Logger log = LoggerFactory.getLogger(Approvals.class);

    private final ApprovalStore store;
    private final Clock clock;
    private final Duration timeout;
    private final SecretRedactor redactor;
    private final List<ApprovalListener> listeners = new CopyOnWriteArrayList<>();

    public Approvals(ApprovalStore store, Clock clock, Duration timeout, SecretRedactor redactor) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.redactor = redactor == null ? SecretRedactor.none() : redactor;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the approval time-out must be positive, was " + timeout);
        }
    }

    public Approvals(ApprovalStore store) {
        this(store, Clock.systemUTC(), DEFAULT_TIMEOUT, SecretRedactor.none());
    }

    public Approvals addListener(ApprovalListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    public ApprovalStore store() {
        return store;
    }

    public Duration timeout() {
        return timeout;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Asks for approval of these tool calls of a run (all or none stored). A tool call asked
     * before keeps its approval, decided or not, so a resumed run does not ask twice.
     */
    public List<Approval> request(String workflowId, String agentId, String tenant, List<ToolCall> calls) {
        Instant now = clock.instant();
        List<PendingApproval> requests = new ArrayList<>(calls.size());
        for (ToolCall call : calls) {
            requests.add(new PendingApproval(UUID.randomUUID().toString(), workflowId, agentId, tenant, call.id(),
                    call.name(), redactor.redact(call.arguments()), now, now.plus(timeout)));
        }
        List<Approval> stored = store.create(requests);
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).id().equals(requests.get(i).id())) {
                notifyRequested(stored.get(i));
            }
        }
        return stored;
    }

    public Optional<Approval> find(String approvalId) {
        expireOverdue();
        return store.find(approvalId);
    }

    /** Pending approvals, oldest first (expired ones are rejected first). */
    public List<Approval> pending(int limit) {
        expireOverdue();
        return store.pending(limit);
    }

    public List<Approval> forRun(String workflowId) {
        return store.forRun(workflowId);
    }

    public Approval approve(String approvalId, String decidedBy) {
        return decide(approvalId, ApprovalDecision.approve(decidedBy, clock.instant()));
    }

    /**
     * Approves with the arguments the tool runs with instead of the model's.
     *
     * @throws InvalidApprovalDecisionException when {@code editedArguments} is not a JSON object
     */
    public Approval approveWithArguments(String approvalId, String editedArguments, String decidedBy) {
        return decide(approvalId, ApprovalDecision.approveWithArguments(EditedArguments.checked(editedArguments), decidedBy,
                clock.instant()));
    }

    /** Rejects; the model reads {@code reason} as the tool's result. */
    public Approval reject(String approvalId, String reason, String decidedBy) {
        return decide(approvalId, ApprovalDecision.reject(reason, decidedBy, clock.instant()));
    }

    /**
     * @throws ApprovalNotFoundException       when there is no such approval
     * @throws ApprovalAlreadyDecidedException when it is no longer pending (the first decision stands)
     */
    public Approval decide(String approvalId, ApprovalDecision decision) {
        Objects.requireNonNull(approvalId, "approvalId");
        Approval decided;
        try {
            decided = store.decide(approvalId, decision);
        } catch (ApprovalAlreadyDecidedException refused) {
            if (refused.current().decision().verdict() == ApprovalDecision.Verdict.EXPIRED
                    && refused.current().state() == Approval.State.DECIDED) {
                notifyDecided(refused.current()); // this call is what expired it: the run must hear of it
            }
            throw refused;
        }
        log.info("Approval '{}' of run '{}' ({}): {} by {}", decided.id(), decided.workflowId(),
                decided.request().toolName(), decision.verdict(), decision.decidedBy());
        notifyDecided(decided);
        return decided;
    }

    /** Rejects every approval past its time-out; returns how many. */
    public int expireOverdue() {
        Instant now = clock.instant();
        List<Approval> overdue = store.pending(Integer.MAX_VALUE).stream()
                .filter(a -> a.request().expiredAt(now)).toList();
        if (overdue.isEmpty()) {
            return 0;
        }
        int expired = store.expire(now);
        for (Approval approval : overdue) {
            store.find(approval.id()).filter(a -> a.decision() != null
                            && a.decision().verdict() == ApprovalDecision.Verdict.EXPIRED)
                    .ifPresent(this::notifyDecided);
        }
        return expired;
    }

    private void notifyRequested(Approval approval) {
        for (ApprovalListener listener : listeners) {
            try {
                listener.onRequested(approval);
            } catch (RuntimeException e) {
                log.warn("Approval listener {} failed on a request: {}", listener, redactor.redact(e.toString()));
            }
        }
    }

    private void notifyDecided(Approval approval) {
        for (ApprovalListener listener : listeners) {
            try {
                listener.onDecided(approval);
            } catch (RuntimeException e) {
                log.warn("Approval listener {} failed on a decision: {}", listener, redactor.redact(e.toString()));
            }
        }
    }
}
