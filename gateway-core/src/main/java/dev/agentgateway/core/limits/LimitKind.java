package dev.agentgateway.core.limits;

/** What a limit bounds. */
public enum LimitKind { BUDGET, STEPS, TIME }
