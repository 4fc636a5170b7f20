package dev.agentgateway.sample.web;

import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.sample.desk.ResearchDesk;
import dev.agentgateway.sample.desk.RunResult;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.time.Instant;
import java.util.List;

/**
 * The desk's approvals: {@code GET /api/approvals} lists what waits for a decision,
 * {@code POST /api/approvals/{id}} decides one ({@code approve}, {@code approve-with-edit} with
 * {@code arguments}, {@code reject} with a {@code reason}). A decision that completes a run's
 * approvals resumes the run here, before the answer: it carries the run as it ended. Who decided
 * is the authenticated principal where there is one, else the {@code X-Approver} header, else
 * {@code anonymous}. Decided twice: {@code 409} with the decision that stands.
 */
@RestController
@RequestMapping("/api/approvals")
class ApprovalController {

    /** A decision on one approval. */
    record Decision(@NotBlank @Pattern(regexp = "approve|approve-with-edit|reject") String decision, String arguments,
                    String reason) {
    }

    /** An approval as the desk shows it: arguments with secrets masked. */
    record ApprovalView(String id, String runId, String agent, String tool, String arguments, String state,
                        String verdict, String decidedBy, Instant expiresAt) {

        static ApprovalView of(Approval approval) {
            var request = approval.request();
            var decision = approval.decision();
            return new ApprovalView(approval.id(), approval.workflowId(), request.agentId(), request.toolName(),
                    request.arguments(), approval.state().name(), decision == null ? null : decision.verdict().name(),
                    decision == null ? null : decision.decidedBy(), request.expiresAt());
        }
    }

    /** The decided approval, and the run as it stands after it (finished, failed or still waiting). */
    record Decided(ApprovalView approval, RunResult run) {
    }

    private final Approvals approvals;
    private final ResearchDesk desk;

    ApprovalController(Approvals approvals, ResearchDesk desk) {
        this.approvals = approvals;
        this.desk = desk;
    }

    @GetMapping
    List<ApprovalView> pending() {
        return approvals.pending(100).stream().map(ApprovalView::of).toList();
    }

    @PostMapping("/{id}")
    Decided decide(@PathVariable String id, @Valid @RequestBody Decision decision, Principal principal,
                   @RequestHeader(name = "X-Approver", required = false) String approver) {
        String who = principal != null ? principal.getName() : approver != null && !approver.isBlank() ? approver : "anonymous";
        Approval decided = switch (decision.decision()) {
            case "approve" -> approvals.approve(id, who);
            case "approve-with-edit" -> approvals.approveWithArguments(id, decision.arguments(), who);
            default -> approvals.reject(id, decision.reason(), who);
        };
        return new Decided(ApprovalView.of(decided), desk.describeResumed(decided.workflowId()));
    }
}
