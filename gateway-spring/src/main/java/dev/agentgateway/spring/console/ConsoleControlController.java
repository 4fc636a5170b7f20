package dev.agentgateway.spring.console;

import dev.agentgateway.spring.actuate.AgentGatewayControlEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The console's write actions, mapped only while {@code /actuator/agentgateway} offers its write
 * operations ({@code agent-gateway.actuator.write-enabled=true} and the endpoint exposed): each is
 * carried out by {@link AgentGatewayControlEndpoint}, so the console validates, logs and answers as
 * Actuator does, and each is recorded in the {@link ConsoleAudit}.
 */
@RestController
@RequestMapping("${agent-gateway.console.path:/agent-gateway}/api")
public class ConsoleControlController {

    private final AgentGatewayControlEndpoint control;
    private final ConsoleAudit audit;
    private final ConsoleAccess access;

    public ConsoleControlController(AgentGatewayControlEndpoint control, ConsoleAudit audit, ConsoleAccess access) {
        this.control = control;
        this.audit = audit;
        this.access = access;
    }

    /** {@code stop}, {@code resume}, {@code reset} or {@code limits} of the whole gateway. */
    @PostMapping("/control/{action}")
    public Map<String, Object> control(@PathVariable String action, @RequestBody(required = false) @Nullable Map<String, Object> body,
                                       HttpServletRequest request) {
        Settings settings = new Settings(body);
        Map<String, Object> answer = control.control(action, settings.get("maxBudget"), settings.get("maxSteps"),
                settings.get("maxTime"), settings.get("perAgentMaxSteps"), settings.get("perAgentMaxBudget"),
                settings.get("perWorkflowMaxSteps"), settings.get("perWorkflowMaxBudget"), settings.get("perTenantMaxSteps"),
                settings.get("perTenantMaxBudget"), settings.get("warningThreshold"));
        audit.record(access.operator(request), action, "gateway", settings.values());
        return answer;
    }

    /** {@code pause}, {@code resume} or {@code limits} of one agent. */
    @PostMapping("/agents/{agentId}/{action}")
    public Map<String, Object> agent(@PathVariable String agentId, @PathVariable String action,
                                     @RequestBody(required = false) @Nullable Map<String, Object> body, HttpServletRequest request) {
        Settings settings = new Settings(body);
        Map<String, Object> answer = control.controlAgent(agentId, action, settings.get("maxSteps"), settings.get("maxBudget"));
        audit.record(access.operator(request), action, "agent " + agentId, settings.values());
        return answer;
    }

    /** The limits of one named tenant. */
    @PostMapping("/tenants/{tenant}/limits")
    public Map<String, Object> tenant(@PathVariable String tenant, @RequestBody(required = false) @Nullable Map<String, Object> body,
                                      HttpServletRequest request) {
        Settings settings = new Settings(body);
        Map<String, Object> answer = control.controlTenant("tenants", tenant, "limits", settings.get("maxSteps"),
                settings.get("maxBudget"));
        audit.record(access.operator(request), "limits", "tenant " + tenant, settings.values());
        return answer;
    }

    @ExceptionHandler(InvalidEndpointRequestException.class)
    public ResponseEntity<Map<String, Object>> invalid(InvalidEndpointRequestException invalid) {
        return ResponseEntity.badRequest().body(Map.of("message", invalid.getReason()));
    }

    /** A request body's values as the endpoint takes them: text, {@code null} when absent. */
    private record Settings(Map<String, Object> values) {

        Settings(@Nullable Map<String, Object> values) {
            this.values = values == null ? Map.of() : values;
        }

        @Nullable String get(String name) {
            Object value = values.get(name);
            return value == null ? null : String.valueOf(value);
        }
    }
}
