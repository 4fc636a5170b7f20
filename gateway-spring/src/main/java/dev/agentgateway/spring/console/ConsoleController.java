package dev.agentgateway.spring.console;

import dev.agentgateway.spring.actuate.AgentCallsEndpoint;
import dev.agentgateway.spring.actuate.AgentCheckpointsEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The console page and the JSON it reads. Every answer comes from the gateway's Actuator endpoint
 * beans, so the console shows exactly what Actuator shows (secrets and, when configured, content
 * redacted the same way) and only what Actuator exposes: an endpoint left out of
 * {@code management.endpoints.web.exposure.include} is a section the console cannot show.
 */
@RestController
@RequestMapping("${agent-gateway.console.path:/agent-gateway}")
public class ConsoleController {

    static final String PAGE = "agent-gateway-console/index.html";

    private final ObjectProvider<AgentGatewayEndpoint> gateway;
    private final ObjectProvider<AgentCallsEndpoint> calls;
    private final ObjectProvider<AgentCheckpointsEndpoint> checkpoints;
    private final ObjectProvider<ConsoleControlController> actions;
    private final ConsoleEvents events;
    private final ConsoleAudit audit;
    private final ConsoleAccess access;
    private final String path;

    public ConsoleController(ObjectProvider<AgentGatewayEndpoint> gateway, ObjectProvider<AgentCallsEndpoint> calls,
                             ObjectProvider<AgentCheckpointsEndpoint> checkpoints,
                             ObjectProvider<ConsoleControlController> actions, ConsoleEvents events, ConsoleAudit audit,
                             ConsoleAccess access, String path) {
        this.gateway = gateway;
        this.calls = calls;
        this.checkpoints = checkpoints;
        this.actions = actions;
        this.events = events;
        this.audit = audit;
        this.access = access;
        this.path = path;
    }

    @GetMapping
    public ResponseEntity<Void> redirectToPage() {
        // the page reads its JSON with relative URLs, which need the trailing slash
        return ResponseEntity.status(HttpStatus.FOUND).header("Location", path + "/").build();
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<Resource> page() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new ClassPathResource(PAGE));
    }

    /** What this operator may see and do here. */
    @GetMapping("/api/session")
    public Map<String, Object> session(HttpServletRequest request) {
        Map<String, Object> sections = new LinkedHashMap<>();
        sections.put("gateway", gateway.getIfAvailable() != null);
        sections.put("calls", calls.getIfAvailable() != null);
        sections.put("checkpoints", checkpoints.getIfAvailable() != null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("secured", access.secured());
        body.put("operator", access.operator(request));
        // the actions exist only when Actuator offers them, so their mapping is the one rule
        body.put("writeEnabled", actions.getIfAvailable() != null
                && access.refusesWrite(request) == null);
        body.put("csrf", access.csrf(request));
        body.put("sections", sections);
        return body;
    }

    @GetMapping("/api/gateway")
    public ResponseEntity<Map<String, Object>> gateway() {
        return read(gateway, "agentgateway", AgentGatewayEndpoint::gateway);
    }

    @GetMapping("/api/calls")
    public ResponseEntity<Map<String, Object>> calls(@RequestParam(required = false) @Nullable String agent,
                                                     @RequestParam(required = false) @Nullable String workflow,
                                                     @RequestParam(required = false) @Nullable String tenant,
                                                     @RequestParam(required = false) @Nullable Boolean success,
                                                     @RequestParam(required = false) @Nullable Integer limit) {
        return read(calls, "agentcalls", endpoint -> endpoint.calls(agent, workflow, tenant, success, null, null, limit));
    }

    @GetMapping("/api/calls/{callId}")
    public ResponseEntity<Map<String, Object>> call(@PathVariable String callId) {
        return read(calls, "agentcalls", endpoint -> endpoint.call(callId));
    }

    @GetMapping("/api/checkpoints")
    public ResponseEntity<Map<String, Object>> checkpoints() {
        return read(checkpoints, "agentcheckpoints", AgentCheckpointsEndpoint::workflows);
    }

    /** Operator actions, newest first. */
    @GetMapping("/api/audit")
    public List<Map<String, Object>> audit() {
        return audit.entries().stream().map(ConsoleAudit::describe).toList();
    }

    /** Live updates; 503 when {@code agent-gateway.console.max-subscribers} browsers already listen. */
    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<SseEmitter> events() {
        SseEmitter emitter = events.subscribe();
        if (emitter == null) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(emitter);
    }

    private static <E> ResponseEntity<Map<String, Object>> read(ObjectProvider<E> endpoint, String id,
                                                              Function<E, @Nullable Map<String, Object>> view) {
        E available = endpoint.getIfAvailable();
        if (available == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message",
                    "Actuator does not expose '" + id + "': add it to management.endpoints.web.exposure.include"));
        }
        Map<String, Object> body = view.apply(available);
        return body == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(body);
    }
}
