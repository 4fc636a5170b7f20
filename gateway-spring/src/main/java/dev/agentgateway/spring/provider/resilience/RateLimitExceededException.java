package dev.agentgateway.spring.provider.resilience;

import dev.agentgateway.core.GatewayException;

import java.time.Duration;

/**
 * An agent made more LLM calls, or a tool was called more often, than its rate limit allows in
 * one window. Raised by the gateway's own limiters, never by a provider, so it is never retried.
 */
public class RateLimitExceededException extends GatewayException {

    /** What was limited. */
    public enum Subject { AGENT, TOOL }

    private final Subject subject;
    private final String name;
    private final int limitForPeriod;
    private final Duration refreshPeriod;

    public RateLimitExceededException(Subject subject, String name, int limitForPeriod, Duration refreshPeriod) {
        super((subject == Subject.AGENT ? "Agent '" : "Tool '") + name + "' exceeded its rate limit of " + limitForPeriod
                + (subject == Subject.AGENT ? " LLM calls" : " calls") + " per " + refreshPeriod);
        this.subject = subject;
        this.name = name;
        this.limitForPeriod = limitForPeriod;
        this.refreshPeriod = refreshPeriod;
    }

    public Subject subject() {
        return subject;
    }

    /** The agent id or tool name. */
    public String name() {
        return name;
    }

    public int limitForPeriod() {
        return limitForPeriod;
    }

    public Duration refreshPeriod() {
        return refreshPeriod;
    }
}
