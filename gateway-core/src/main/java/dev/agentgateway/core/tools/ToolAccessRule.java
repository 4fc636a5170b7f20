package dev.agentgateway.core.tools;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who may use the tools whose names match {@code toolPattern}. Patterns on tools and agents may
 * use {@code *} (any characters) and {@code ?} (one character). Denied agents are checked
 * first; an empty allowed list leaves the decision to the default policy.
 */
public record ToolAccessRule(String toolPattern, List<String> allowedAgents, List<String> deniedAgents,
                             boolean approvalRequired) {

    public ToolAccessRule {
        Objects.requireNonNull(toolPattern, "toolPattern");
        allowedAgents = allowedAgents == null ? List.of() : List.copyOf(allowedAgents);
        deniedAgents = deniedAgents == null ? List.of() : List.copyOf(deniedAgents);
    }

    /** A rule for {@code toolPattern} that, as yet, allows and denies no one. */
    public static ToolAccessRule forTool(String toolPattern) {
        return new ToolAccessRule(toolPattern, List.of(), List.of(), false);
    }

    public ToolAccessRule allow(String... agentPatterns) {
        return new ToolAccessRule(toolPattern, merge(allowedAgents, agentPatterns), deniedAgents, approvalRequired);
    }

    public ToolAccessRule deny(String... agentPatterns) {
        return new ToolAccessRule(toolPattern, allowedAgents, merge(deniedAgents, agentPatterns), approvalRequired);
    }

    /** Each use must be approved by the gateway's {@link ApprovalHandler}; without one it is denied. */
    public ToolAccessRule requireApproval() {
        return new ToolAccessRule(toolPattern, allowedAgents, deniedAgents, true);
    }

    public boolean appliesTo(String toolName) {
        return Wildcards.matches(toolPattern, toolName);
    }

    public boolean denies(String agentId) {
        return anyMatches(deniedAgents, agentId);
    }

    public boolean allows(String agentId) {
        return anyMatches(allowedAgents, agentId);
    }

    /** A plain loop: this runs for every rule and every tool offered on every call. */
    private static boolean anyMatches(List<String> patterns, String agentId) {
        for (String pattern : patterns) {
            if (Wildcards.matches(pattern, agentId)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> merge(List<String> existing, String... more) {
        Set<String> merged = new LinkedHashSet<>(existing);
        merged.addAll(List.of(more));
        return List.copyOf(merged);
    }
}
