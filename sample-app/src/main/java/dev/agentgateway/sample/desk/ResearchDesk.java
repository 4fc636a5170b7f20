package dev.agentgateway.sample.desk;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.approval.RunAwaitingApprovalException;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.ScopeUsage;
import dev.agentgateway.core.stream.StreamEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

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
    private final Rambler rambler;
    private final Gateway gateway;

    public ResearchDesk(Researcher researcher, Writer writer, Looper looper, Intern intern, Publisher publisher,
                        Rambler rambler, Gateway gateway) {
        this.researcher = researcher;
        this.writer = writer;
        this.looper = looper;
        this.intern = intern;
        this.publisher = publisher;
        this.rambler = rambler;
        this.gateway = gateway;
    }

    public RunResult run(String task, String tenant) {
        String runId = newRunId();
        String topic = topicOf(task);
        String research = researcher.research(topic, task, runId, tenant);
        String answer = writer.write(topic, task, runId, tenant);
        return result(runId, answer, research);
    }

    /**
     * {@link #run} as it happens: the researcher's stream, then the writer's, each governed like
     * their calls; last a {@link RunEvent.Done} with the run's totals, or a {@link RunEvent.Failed}
     * with the gateway's error and the totals until then. Cold: nothing runs before a subscriber.
     */
    public Flux<RunEvent> stream(String task, String tenant) {
        return Flux.defer(() -> {
            String runId = newRunId();
            String topic = topicOf(task);
            StringBuilder research = new StringBuilder();
            StringBuilder answer = new StringBuilder();
            Flux<RunEvent> researching = events("researcher", researcher.researchLive(topic, task, runId, tenant), research);
            Flux<RunEvent> writing = events("writer", writer.writeLive(topic, task, runId, tenant), answer);
            return ended(runId, Flux.concat(researching, writing), answer, research);
        });
    }

    /** A stream that talks for longer than the stream time-out allows: cut off, charged what it said. */
    public Flux<RunEvent> streamRambler(String topic) {
        return Flux.defer(() -> {
            String runId = newRunId();
            StringBuilder said = new StringBuilder();
            return ended(runId, events("rambler", rambler.ramble(topic, runId), said), said, null);
        });
    }

    private static Flux<RunEvent> events(String agent, Flux<StreamEvent> stream, StringBuilder text) {
        return stream.mapNotNull(event -> {
            if (event instanceof StreamEvent.ToolStarted started) {
                return new RunEvent.Tool(agent, "started", started.call().name(), started.call().arguments());
            }
            if (event instanceof StreamEvent.ToolFinished finished) {
                return new RunEvent.Tool(agent, "finished", finished.call().name(), finished.result());
            }
            String piece = event.text(); // null for tool-call pieces, and for Completed: the run's totals come last
            if (piece == null) {
                return null;
            }
            text.append(piece);
            return new RunEvent.Token(agent, piece);
        });
    }

    private Flux<RunEvent> ended(String runId, Flux<RunEvent> events, StringBuilder answer, StringBuilder research) {
        return events
                .concatWith(Flux.defer(() -> Flux.just(new RunEvent.Done(result(runId, answer.toString(), text(research))))))
                .onErrorResume(failure -> Flux.just(new RunEvent.Failed(failure.getClass().getSimpleName(), failure.getMessage(),
                        result(runId, answer.isEmpty() ? null : answer.toString(), text(research)))));
    }

    private static String text(StringBuilder text) {
        return text == null || text.isEmpty() ? null : text.toString();
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
