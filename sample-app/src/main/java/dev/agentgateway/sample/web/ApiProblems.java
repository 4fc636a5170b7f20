package dev.agentgateway.sample.web;

import dev.agentgateway.spring.provider.resilience.ProviderCircuitOpenException;
import dev.agentgateway.spring.provider.resilience.RateLimitExceededException;
import dev.agentgateway.core.AgentPausedException;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.GatewayStoppedException;
import dev.agentgateway.core.approval.ApprovalAlreadyDecidedException;
import dev.agentgateway.core.approval.ApprovalNotFoundException;
import dev.agentgateway.core.approval.InvalidApprovalDecisionException;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.approval.RunNotResumableException;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.limits.TimeLimitExceededException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every error of the desk's API as an RFC 9457 problem detail ({@code application/problem+json}):
 * Spring MVC's own errors (malformed JSON, wrong media type, unknown path, bad parameter values,
 * invalid content) through {@link ResponseEntityExceptionHandler}, and each governance refusal
 * with a {@code type} URI of its own, the status phrase as {@code title}, and its figures as
 * extension members. No Java class name reaches the client.
 *
 * <p>Statuses are chosen for what a client does with them: a used-up limit is {@code 409
 * Conflict} (the run's state forbids it; repeating the request is refused again until an operator
 * raises the limit, so no client retries it on its own), a detected loop is {@code 422
 * Unprocessable Content} (the task was understood but the run could not reach an answer; the same
 * task would loop again; not WebDAV's 508, which clients treat as a server fault), a denied tool is
 * {@code 403}, a stopped gateway or paused agent {@code 503} (an operator's temporary decision),
 * the gateway's own rate limit {@code 429} with {@code Retry-After}, and provider failures are
 * {@code 502}/{@code 503}/{@code 504} as for any gateway in front of an upstream.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    /** Where the problem types live: {@code https://agentgateway.dev/problems/budget-exceeded} and so on. */
    static final String TYPE_BASE = "https://agentgateway.dev/problems/";

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(BudgetExceededException.class)
    ResponseEntity<ProblemDetail> budget(BudgetExceededException e) {
        ProblemDetail problem = limit(e, "budget-exceeded");
        problem.setProperty("spentUsd", e.current());
        problem.setProperty("estimateUsd", e.estimate());
        problem.setProperty("limitUsd", e.limit());
        return respond(problem);
    }

    @ExceptionHandler(StepLimitExceededException.class)
    ResponseEntity<ProblemDetail> steps(StepLimitExceededException e) {
        ProblemDetail problem = limit(e, "step-limit-exceeded");
        problem.setProperty("steps", e.current());
        problem.setProperty("limitSteps", e.limit());
        return respond(problem);
    }

    @ExceptionHandler(TimeLimitExceededException.class)
    ResponseEntity<ProblemDetail> time(TimeLimitExceededException e) {
        ProblemDetail problem = limit(e, "time-limit-exceeded");
        problem.setProperty("elapsedSeconds", e.current());
        problem.setProperty("limitSeconds", e.limit());
        return respond(problem);
    }

    @ExceptionHandler(LoopDetectedException.class)
    ResponseEntity<ProblemDetail> loop(LoopDetectedException e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "loop-detected", e.getMessage());
        problem.setProperty("pattern", e.pattern().description());
        problem.setProperty("agents", e.agents());
        problem.setProperty("runId", e.workflowId());
        problem.setProperty("occurrences", e.occurrences());
        return respond(problem);
    }

    @ExceptionHandler(ToolAccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(ToolAccessDeniedException e) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "tool-denied", e.getMessage());
        problem.setProperty("agent", e.agentId());
        problem.setProperty("tool", e.toolName());
        return respond(problem);
    }

    @ExceptionHandler(AgentPausedException.class)
    ResponseEntity<ProblemDetail> paused(AgentPausedException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "agent-paused",
                "Agent '" + e.agentId() + "' is paused by an operator: its calls are refused until it is resumed");
        problem.setProperty("agent", e.agentId());
        return respond(problem);
    }

    @ExceptionHandler(GatewayStoppedException.class)
    ResponseEntity<ProblemDetail> stopped(GatewayStoppedException e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "gateway-stopped",
                "The gateway is stopped by an operator: every call is refused until it is resumed");
        problem.setProperty("agent", e.agentId());
        return respond(problem);
    }

    @ExceptionHandler(RateLimitExceededException.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimitExceededException e) {
        ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", e.getMessage());
        problem.setProperty(e.subject() == RateLimitExceededException.Subject.AGENT ? "agent" : "tool", e.name());
        problem.setProperty("limitForPeriod", e.limitForPeriod());
        problem.setProperty("periodSeconds", e.refreshPeriod().toSeconds());
        return respond(problem, e.refreshPeriod());
    }

    @ExceptionHandler(ProviderException.class)
    ResponseEntity<ProblemDetail> provider(ProviderException e) {
        ProblemDetail problem;
        Duration retryAfter = null;
        if (e instanceof ProviderTimeoutException) {
            problem = problem(HttpStatus.GATEWAY_TIMEOUT, "provider-timeout", e.getMessage());
        } else if (e instanceof ProviderCircuitOpenException || e instanceof ProviderRateLimitedException) {
            problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "provider-unavailable", e.getMessage());
            retryAfter = e instanceof ProviderRateLimitedException limited ? limited.retryAfter() : null;
        } else {
            problem = problem(HttpStatus.BAD_GATEWAY, "provider-failed", e.getMessage());
        }
        problem.setProperty("provider", e.provider());
        return respond(problem, retryAfter);
    }

    /**
     * Not a problem: the run reached a tool that needs approval and is paused. {@code 202 Accepted}
     * with the run id and the approvals it waits for ({@link ApprovalController} decides them).
     */
    @ExceptionHandler(RunAwaitingApprovalException.class)
    ResponseEntity<PausedRun> awaitingApproval(RunAwaitingApprovalException e) {
        return ResponseEntity.accepted().location(URI.create("/api/runs/" + e.workflowId())).body(PausedRun.of(e));
    }

    @ExceptionHandler(ApprovalNotFoundException.class)
    ResponseEntity<ProblemDetail> unknownApproval(ApprovalNotFoundException e) {
        return respond(problem(HttpStatus.NOT_FOUND, "approval-not-found", e.getMessage()));
    }

    /** Decided before (the first decision stands, shown as {@code verdict} and {@code decidedBy}), expired, or being resumed. */
    @ExceptionHandler(ApprovalAlreadyDecidedException.class)
    ResponseEntity<ProblemDetail> decidedBefore(ApprovalAlreadyDecidedException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "approval-already-decided", e.getMessage());
        problem.setProperty("verdict", e.current().decision().verdict().name());
        problem.setProperty("decidedBy", e.current().decision().decidedBy());
        return respond(problem);
    }

    @ExceptionHandler(RunNotResumableException.class)
    ResponseEntity<ProblemDetail> notResumable(RunNotResumableException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "run-not-resumable", e.getMessage());
        problem.setProperty("runId", e.workflowId());
        problem.setProperty("reason", e.reason().name());
        return respond(problem);
    }

    @ExceptionHandler(InvalidApprovalDecisionException.class)
    ResponseEntity<ProblemDetail> invalidDecision(InvalidApprovalDecisionException e) {
        return respond(problem(HttpStatus.BAD_REQUEST, "invalid-decision", e.getMessage()));
    }

    /** Any other refusal of the gateway (an unknown tool, an answer that does not parse, a checkpoint failure). */
    @ExceptionHandler(GatewayException.class)
    ResponseEntity<ProblemDetail> gateway(GatewayException e) {
        log.warn("Run failed in the gateway: {}", e.getMessage());
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "gateway-error", e.getMessage()));
    }

    /** A fault of the desk itself: logged in full, answered without its message. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return respond(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The desk failed unexpectedly"));
    }

    /** Invalid content names each rejected field with its message, as {@code errors: [{field, message}]}. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
                .toList();
        ProblemDetail problem = e.getBody();
        problem.setDetail(errors.stream().map(error -> error.get("field") + " " + error.get("message"))
                .reduce((a, b) -> a + "; " + b).orElse("Invalid request content"));
        problem.setProperty("errors", errors);
        return handleExceptionInternal(e, problem, headers, status, request);
    }

    private static ProblemDetail limit(ExecutionLimitException e, String type) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, type, e.getMessage());
        problem.setProperty("scope", e.scope().type().name().toLowerCase(Locale.ROOT));
        if (e.scope().type() != LimitScope.Type.GLOBAL) {
            problem.setProperty("scopeId", e.scope().id());
        }
        problem.setProperty("agent", e.agentId());
        return problem;
    }

    private static ProblemDetail problem(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(status.getReasonPhrase());
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return respond(problem, null);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, Duration retryAfter) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus());
        if (retryAfter != null && !retryAfter.isNegative()) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response.body(problem);
    }
}
