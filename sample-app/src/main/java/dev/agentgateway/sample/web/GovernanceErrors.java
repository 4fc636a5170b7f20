package dev.agentgateway.sample.web;

import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.limits.BudgetExceededException;
import dev.agentgateway.core.limits.ExecutionLimitException;
import dev.agentgateway.core.loop.LoopDetectedException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Governance decisions as HTTP problems: the client sees which rule stopped the run. */
@RestControllerAdvice
class GovernanceErrors {

    @ExceptionHandler(BudgetExceededException.class)
    ProblemDetail budget(BudgetExceededException e) {
        ProblemDetail problem = problem(HttpStatus.PAYMENT_REQUIRED, "budget-exceeded", e);
        problem.setProperty("scope", e.scope().toString());
        problem.setProperty("spentUsd", e.current());
        problem.setProperty("limitUsd", e.limit());
        return problem;
    }

    @ExceptionHandler(ExecutionLimitException.class)
    ProblemDetail limit(ExecutionLimitException e) {
        ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "limit-exceeded", e);
        problem.setProperty("kind", e.kind().name());
        problem.setProperty("scope", e.scope().toString());
        return problem;
    }

    @ExceptionHandler(LoopDetectedException.class)
    ProblemDetail loop(LoopDetectedException e) {
        ProblemDetail problem = problem(HttpStatus.LOOP_DETECTED, "loop-detected", e);
        problem.setProperty("pattern", e.pattern().description());
        problem.setProperty("agents", e.agents());
        problem.setProperty("runId", e.workflowId());
        return problem;
    }

    @ExceptionHandler(ToolAccessDeniedException.class)
    ProblemDetail denied(ToolAccessDeniedException e) {
        ProblemDetail problem = problem(HttpStatus.FORBIDDEN, "tool-denied", e);
        problem.setProperty("agent", e.agentId());
        problem.setProperty("tool", e.toolName());
        return problem;
    }

    @ExceptionHandler(ProviderException.class)
    ProblemDetail provider(ProviderException e) {
        return problem(HttpStatus.BAD_GATEWAY, "provider-failed", e);
    }

    @ExceptionHandler(GatewayException.class)
    ProblemDetail other(GatewayException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "gateway-refused", e);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String type, GatewayException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(type);
        problem.setProperty("exception", e.getClass().getSimpleName());
        return problem;
    }
}
