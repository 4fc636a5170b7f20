package dev.agentgateway.sample.desk;

/**
 * What a streamed run of the desk tells as it goes: the agents' text, their tools, and last either
 * the run's result or why it stopped, with what it cost up to then.
 */
public sealed interface RunEvent {

    /** A piece of an agent's answer. */
    record Token(String agent, String text) implements RunEvent {
    }

    /** A tool an agent runs ({@code started}) or ran ({@code finished}, with what it returned). */
    record Tool(String agent, String phase, String tool, String detail) implements RunEvent {
    }

    /** The run finished: its answer, cost, tokens, steps and tool calls. */
    record Done(RunResult result) implements RunEvent {
    }

    /** The run was stopped (a limit, a time-out, a loop): the gateway's error and what the run cost until then. */
    record Failed(String error, String detail, RunResult result) implements RunEvent {
    }
}
