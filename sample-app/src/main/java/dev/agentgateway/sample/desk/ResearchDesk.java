package dev.agentgateway.sample.desk;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import org.springframework.stereotype.Service;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Runs a task through the desk: the researcher, then the writer, as one workflow run. */
@Service
public class ResearchDesk {

    private final Researcher researcher;
    private final Writer writer;
    private final Looper looper;
    private final Intern intern;
    private final Publisher publisher;
    private final Gateway gateway;

    public ResearchDesk(Researcher researcher, Writer writer, Looper looper, Intern intern, Publisher publisher,
                        Gateway gateway) {
        this.researcher = researcher;
        this.writer = writer;
        this.looper = looper;
        this.intern = intern;
        this.publisher = publisher;
        this.gateway = gateway;
    }

    public RunResult run(String task, String tenant) {
        String runId = newRunId();
        String topic = topicOf(task);
        String research = researcher.research(topic, task, runId, tenant);
        String answer = writer.write(topic, task, runId, tenant);
        return result(runId, answer, research);
    }

    /** A run whose agent keeps repeating itself: stopped by loop detection. */
    public RunResult runLooper(String task) {
        String runId = newRunId();
        return result(runId, looper.chase(task, runId), null);
    }

    /**
     * A run whose agent reaches for a tool that needs approval nobody gives ({@link InternApprovals}
     * refuses it on the spot): stopped by tool access.
     */
    public RunResult runIntern(String request) {
        String runId = newRunId();
        return result(runId, intern.tidyUp(request, runId), null);
    }

    /**
     * A run whose agent publishes a note, which needs an editor's approval: the run pauses
     * ({@link RunAwaitingApprovalException}) and goes on, on whichever instance, once it is decided.
     */
    public RunResult runPublisher(String request) {
        String runId = newRunId();
        return result(runId, publisher.publish(request, runId), null);
    }

    /** A run after a decision on its approvals: its answer once it finished, else what it did so far. */
    public RunResult describeResumed(String runId) {
        String answer = gateway.checkpoints().latest(runId).filter(Checkpoint::finished)
                .map(checkpoint -> checkpoint.messages().get(checkpoint.messages().size() - 1).content()).orElse(null);
        return result(runId, answer, null);
    }

    /** What a run did so far; empty when the gateway has no call of it. */
    public Optional<RunResult> describe(String runId) {
        if (gateway.getCallHistory(new HistoryQuery(null, runId, null, null, null, null, 1)).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(result(runId, null, null));
    }

    private RunResult result(String runId, String answer, String research) {
        ScopeUsage usage = gateway.usage(LimitScope.workflow(runId));
        List<RunResult.ToolUse> tools = gateway.getToolCallHistory(new HistoryQuery(null, runId, null, null, null, null, null))
                .stream()
                .map(call -> new RunResult.ToolUse(call.agentId(), call.toolName(), call.arguments(), call.outcome().name()))
                .toList();
        return new RunResult(runId, answer, research, usage.committedCost(), usage.committedSteps(), usage.totalTokens(), tools);
    }

    private static String newRunId() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String topicOf(String task) {
        String topic = task.strip();
        return topic.length() > 80 ? topic.substring(0, 80) : topic;
    }
}
