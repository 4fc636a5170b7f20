package dev.agentgateway.sample.desk;

import java.math.BigDecimal;
import java.util.List;

/** What a run of the desk produced, and what it cost. */
public record RunResult(String runId, String answer, String research, BigDecimal costUsd, long steps, long tokens,
                        List<ToolUse> toolCalls) {

    /** One tool call of the run. */
    public record ToolUse(String agent, String tool, String arguments, String outcome) {
    }
}
