package dev.agentgateway.core.tools;

/** What happens to a tool no rule mentions. */
public enum AccessPolicy { ALLOW, DENY }
