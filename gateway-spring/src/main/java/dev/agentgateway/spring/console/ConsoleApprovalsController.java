package dev.agentgateway.spring.console;

import dev.agentgateway.spring.actuate.AgentApprovalsControlEndpoint;
import dev.agentgateway.spring.actuate.AgentApprovalsEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's approvals: the pending list as {@code /actuator/agentapprovals} shows it and, while
 * that endpoint takes decisions ({@code agent-gateway.actuator.write-enabled=true}, the endpoint
 * exposed and not {@code management.endpoint.agentapprovals.access=read-only}), the decisions,
 * carried out by {@link AgentApprovalsControlEndpoint} so that they are validated and answered as
 * Actuator does, and each recorded in the {@link ConsoleAudit}. Who decided is the console's
 * operator.
 */
@RestController
@RequestMapping("${agent-gateway.console.path:/agent-gateway}/api/approvals")
public class ConsoleApprovalsController {

    private final ObjectProvider<AgentApprovalsEndpoint> approvals;
    private final @Nullable AgentApprovalsControlEndpoint decisions;
    private final ConsoleAudit audit;
    private final ConsoleAccess access;

    /**
     * @param decisions the endpoint that takes decisions, {@code null} when Actuator does not offer
     *                  them: the console then only lists
     */
    public ConsoleApprovalsController(ObjectProvider<AgentApprovalsEndpoint> approvals,
                                      @Nullable AgentApprovalsControlEndpoint decisions, ConsoleAudit audit,
                                      ConsoleAccess access) {
        this.approvals = approvals;
        this.decisions = decisions;
        this.audit = audit;
        this.access = access;
    }

    /** The pending approvals, oldest first, and whether this operator may decide them. */
    @GetMapping
    public ResponseEntity<Map<String, Object>> pending(HttpServletRequest request) {
        AgentApprovalsEndpoint endpoint = approvals.getIfAvailable();
        if (endpoint == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message",
                    "Actuator does not expose 'agentapprovals': add it to management.endpoints.web.exposure.include"));
        }
        Map<String, Object> body = new LinkedHashMap<>(endpoint.pending());
        body.put("writeEnabled", decisions != null && access.refusesWrite(request) == null);
        return ResponseEntity.ok(body);
    }

    /**
     * {@code {"decision": "approve"}}, {@code {"decision": "approve-with-edit", "arguments": "{...}"}} or
     * {@code {"decision": "reject", "reason": "..."}}: answered as {@code POST /actuator/agentapprovals/{id}} is.
     */
    @PostMapping("/{id}")
    public ResponseEntity<Map<String, Object>> decide(@PathVariable String id, @RequestBody(required = false)
                                                      @Nullable Map<String, Object> body, HttpServletRequest request) {
        if (decisions == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message",
                    "Approvals are decided here only when /actuator/agentapprovals takes decisions: "
                            + "set agent-gateway.actuator.write-enabled=true"));
        }
        Map<String, Object> values = body == null ? Map.of() : body;
        String decision = text(values, "decision");
        if (decision == null) {
            throw new InvalidEndpointRequestException("A decision needs 'decision': approve, approve-with-edit or reject",
                    "Missing decision");
        }
        String operator = access.operator(request);
        WebEndpointResponse<Map<String, Object>> answer = decisions.decide(id, decision, text(values, "arguments"),
                text(values, "reason"), operator, request.getUserPrincipal());
        if (answer.getStatus() == WebEndpointResponse.STATUS_OK) {
            audit.record(operator, decision, target(answer.getBody()), settings(values));
        }
        return ResponseEntity.status(answer.getStatus()).body(answer.getBody());
    }

    @ExceptionHandler(InvalidEndpointRequestException.class)
    public ResponseEntity<Map<String, Object>> invalid(InvalidEndpointRequestException invalid) {
        return ResponseEntity.badRequest().body(Map.of("message", invalid.getReason()));
    }

    private static String target(Map<String, Object> approval) {
        return "approval " + approval.get("id") + " (" + approval.get("toolName") + " of run " + approval.get("workflowId") + ")";
    }

    /** What the audit keeps of a decision: the reason, and only whether the arguments were edited (they may hold data). */
    private static Map<String, Object> settings(Map<String, Object> values) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (values.get("reason") != null) {
            settings.put("reason", String.valueOf(values.get("reason")));
        }
        if (values.get("arguments") != null) {
            settings.put("argumentsEdited", true);
        }
        return settings;
    }

    private static @Nullable String text(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value == null ? null : String.valueOf(value);
    }
}
