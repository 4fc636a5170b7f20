package dev.agentgateway.spring.actuate;

import dev.agentgateway.core.approval.Approval;
import dev.agentgateway.core.approval.ApprovalAlreadyDecidedException;
import dev.agentgateway.core.approval.ApprovalNotFoundException;
import dev.agentgateway.core.approval.Approvals;
import dev.agentgateway.core.approval.InvalidApprovalDecisionException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /actuator/agentapprovals} with decisions, registered instead of {@link AgentApprovalsEndpoint}
 * only when {@code agent-gateway.actuator.write-enabled=true} (and Actuator's
 * {@code management.endpoint.agentapprovals.access=read-only} turns the decisions off again):
 *
 * <ul>
 *   <li>{@code POST /actuator/agentapprovals/{id}} with {@code {"decision": "approve"}},
 *       {@code {"decision": "approve-with-edit", "arguments": "{...}"}} (the JSON object the tool runs with) or
 *       {@code {"decision": "reject", "reason": "..."}} (what the model reads as the tool's result).</li>
 * </ul>
 *
 * Answers with the decided approval; {@code 404} for an unknown id, {@code 409} with the decision
 * that stands when the approval was decided before (or expired, or its run is being resumed),
 * {@code 400} for an unknown decision or edited arguments that are not a JSON object. Who decided
 * is the authenticated principal when the request has one (Spring Security), else {@code decidedBy}
 * from the body, else {@code anonymous}.
 */
@Endpoint(id = "agentapprovals")
public class AgentApprovalsControlEndpoint extends AgentApprovalsEndpoint {

    /** Who decided when the request names nobody and nobody is authenticated. */
    public static final String ANONYMOUS = "anonymous";

    public AgentApprovalsControlEndpoint(Approvals approvals, EndpointSanitizer sanitizer, int maxListed) {
        super(approvals, sanitizer, maxListed);
    }

    @Override
    protected boolean isWriteEnabled() {
        return true;
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> decide(@Selector String id, String decision,
                                                           @Nullable String arguments, @Nullable String reason,
                                                           @Nullable String decidedBy, @Nullable Principal principal) {
        String who = principal != null ? principal.getName() : decidedBy != null && !decidedBy.isBlank() ? decidedBy : ANONYMOUS;
        try {
            Approval decided = switch (decision.toLowerCase(Locale.ROOT)) {
                case "approve" -> {
                    refuseArguments(arguments);
                    yield approvals().approve(id, who);
                }
                case "approve-with-edit" -> approvals().approveWithArguments(id, arguments, who);
                case "reject" -> approvals().reject(id, reason, who);
                default -> throw new InvalidEndpointRequestException("Unknown decision '" + decision
                        + "': approve, approve-with-edit or reject", "Unknown decision");
            };
            return new WebEndpointResponse<>(sanitized(describe(decided)));
        } catch (ApprovalNotFoundException unknown) {
            return new WebEndpointResponse<>(sanitized(error(unknown.getMessage())), WebEndpointResponse.STATUS_NOT_FOUND);
        } catch (ApprovalAlreadyDecidedException decidedBefore) {
            Map<String, Object> body = error(decidedBefore.getMessage());
            body.put("approval", describe(decidedBefore.current()));
            return new WebEndpointResponse<>(sanitized(body), 409);
        } catch (InvalidApprovalDecisionException invalid) {
            throw new InvalidEndpointRequestException(invalid.getMessage(), invalid.getMessage());
        }
    }

    private static void refuseArguments(@Nullable String arguments) {
        if (arguments != null) {
            String message = "'approve' takes no arguments: to change them, decide 'approve-with-edit'";
            throw new InvalidEndpointRequestException(message, message);
        }
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return body;
    }
}
