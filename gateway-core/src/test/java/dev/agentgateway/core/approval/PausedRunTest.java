package dev.agentgateway.core.approval;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.checkpoint.Checkpoint;
import dev.agentgateway.core.checkpoint.CheckpointException;
import dev.agentgateway.core.checkpoint.CheckpointStore;
import dev.agentgateway.core.checkpoint.InMemoryCheckpointStore;
import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.secrets.SecretRedactor;
import dev.agentgateway.core.stream.StreamEvent;
import dev.agentgateway.core.testsupport.CollectingSubscriber;
import dev.agentgateway.core.testsupport.MutableClock;
import dev.agentgateway.core.tools.AccessOutcome;
import dev.agentgateway.core.tools.ApprovalHandler;
import dev.agentgateway.core.tools.ApprovalRequest;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import dev.agentgateway.core.tools.ToolAccessRule;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 15: a run that reaches a tool needing approval pauses in a checkpoint instead of blocking,
 * and resumes once, on whichever instance claims it, after every approval is decided.
 */
class PausedRunTest {

    private static final ToolSpec TRANSFER = ToolSpec.of("transfer", "moves money", Map.of(
            "type", "object", "properties", Map.of("amount", Map.of("type", "integer")), "required", List.of("amount")));
    private static final ToolSpec LOOKUP = ToolSpec.of("lookup", "reads a balance", Map.of("type", "object"));
    private static final String SECRET = "sk-live-0123456789";

    private final MutableClock clock = MutableClock.create();
    private final CheckpointStore checkpoints = new InMemoryCheckpointStore();
    private final ApprovalStore store = new InMemoryApprovalStore();
    private final Approvals approvals = new Approvals(store, clock, Duration.ofHours(1), SecretRedactor.of(SECRET));
    private final Tools tools = new Tools();
    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void close() {
        gateways.forEach(Gateway::close);
    }

    /** Counts each tool's runs and keeps their arguments. */
    private static final class Tools implements ToolExecutor {
        final Map<String, AtomicInteger> runs = new java.util.concurrent.ConcurrentHashMap<>();
        final List<Map<String, Object>> transfers = new CopyOnWriteArrayList<>();

        @Override
        public Object execute(String toolName, Map<String, Object> arguments) {
            runs.computeIfAbsent(toolName, name -> new AtomicInteger()).incrementAndGet();
            if (toolName.equals("transfer")) {
                transfers.add(arguments);
                return "moved " + arguments.get("amount");
            }
            return "balance 100";
        }

        int runs(String tool) {
            AtomicInteger count = runs.get(tool);
            return count == null ? 0 : count.get();
        }
    }

    /** Asks for transfer and lookup in one turn; then answers with the tool results it read. */
    private static ScriptedLlmClient model() {
        return ScriptedLlmClient.builder()
                .when(request -> request.lastMessage().role() == LlmMessage.Role.TOOL,
                        request -> ScriptedTurn.text("done: " + toolResults(request)))
                .otherwise(ScriptedTurn.toolCall("transfer", "{\"amount\":50,\"note\":\"" + SECRET + "\"}")
                        .andToolCall("lookup", "{}"))
                .build();
    }

    private static String toolResults(LlmRequest request) {
        return request.messages().stream().filter(m -> m.role() == LlmMessage.Role.TOOL).map(LlmMessage::content)
                .collect(Collectors.joining(" | "));
    }

    private ToolAccessController transferNeedsApproval() {
        return new ToolAccessController().addRule(ToolAccessRule.forTool("transfer").requireApproval());
    }

    private Gateway instance(String id, ScriptedLlmClient model) {
        Gateway gateway = Gateway.builder().provider("scripted", model).clock(clock).toolAccess(transferNeedsApproval())
                .checkpointEnabled(true).checkpointStore(checkpoints).approvals(approvals).instanceId(id).build();
        gateways.add(gateway);
        return gateway;
    }

    private static GatewayCall run(String workflowId) {
        return GatewayCall.builder().agentId("payer").provider("scripted").model("gpt-4o-mini").user("pay the bill")
                .workflowId(workflowId).tools(List.of(TRANSFER, LOOKUP)).build();
    }

    private RunAwaitingApprovalException pause(Gateway gateway, String workflowId) {
        return catchThrowableOfType(RunAwaitingApprovalException.class, () -> gateway.callWithTools(run(workflowId), tools));
    }

    private String onlyApproval(RunAwaitingApprovalException paused) {
        assertThat(paused.approvals()).hasSize(1);
        return paused.approvals().get(0).id();
    }

    @Test
    void aToolNeedingApprovalPausesTheRunAndTheCallerGetsTheRunIdAndItsPendingApproval() {
        RunAwaitingApprovalException paused = pause(instance("a", model()), "run-1");

        assertThat(paused).isNotNull();
        assertThat(paused.workflowId()).isEqualTo("run-1");
        PendingApproval pending = paused.approvals().get(0);
        assertThat(pending.toolName()).isEqualTo("transfer");
        assertThat(pending.arguments()).contains("\"amount\":50").doesNotContain(SECRET);
        assertThat(store.find(pending.id())).hasValueSatisfying(a -> assertThat(a.isPending()).isTrue());
        assertThat(tools.runs("transfer")).isZero();
    }

    @Test
    void theTurnsOtherToolsRunAndAreCheckpointedWhileTheRunIsPausedAwaitingApproval() {
        pause(instance("a", model()), "run-1");

        assertThat(tools.runs("lookup")).isEqualTo(1);
        Checkpoint latest = checkpoints.latest("run-1").orElseThrow();
        assertThat(latest.awaitingApproval()).isTrue();
        assertThat(latest.pendingToolCalls()).extracting(c -> c.name()).containsExactly("transfer", "lookup");
        assertThat(latest.completedToolResults()).containsValue("balance 100").hasSize(1);
        assertThat(latest.run().awaitingApproval()).hasSize(1);
    }

    @Test
    void aPausedRunIsNotResumedByAPlainResume() {
        Gateway gateway = instance("a", model());
        pause(gateway, "run-1");

        assertThatThrownBy(() -> gateway.resume("run-1", tools)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("paused until its approvals are decided");
        assertThat(tools.runs("transfer")).isZero();
    }

    @Test
    void resumingBeforeEveryApprovalIsDecidedIsRefusedAndRunsNothing() {
        Gateway gateway = instance("a", model());
        pause(gateway, "run-1");

        RunNotResumableException refused = catchThrowableOfType(RunNotResumableException.class,
                () -> gateway.resumeApproved("run-1", tools));

        assertThat(refused.reason()).isEqualTo(RunNotResumableException.Reason.PENDING);
        assertThat(tools.runs("transfer")).isZero();
    }

    @Test
    void anApprovedRunResumesOnAnotherInstanceAndRunsTheApprovedToolExactlyOnce() {
        ScriptedLlmClient model = model();
        String approval = onlyApproval(pause(instance("a", model), "run-1"));
        approvals.approve(approval, "alice");

        LlmResponse answer = instance("b", model).resumeApproved("run-1", tools);

        assertThat(answer.content()).isEqualTo("done: moved 50 | balance 100");
        assertThat(tools.runs("transfer")).isEqualTo(1);
        assertThat(tools.runs("lookup")).isEqualTo(1);
        assertThat(store.find(approval)).hasValueSatisfying(a -> {
            assertThat(a.state()).isEqualTo(Approval.State.DONE);
            assertThat(a.claimedBy()).isEqualTo("b");
        });
        assertThat(checkpoints.latest("run-1").orElseThrow().finished()).isTrue();
    }

    @Test
    void theApprovedToolRunsWithTheModelsRealArgumentsNotTheMaskedOnesShownToTheApprover() {
        String approval = onlyApproval(pause(instance("a", model()), "run-1"));
        approvals.approve(approval, "alice");

        instance("b", model()).resumeApproved("run-1", tools);

        assertThat(tools.transfers).singleElement().satisfies(args -> assertThat(args).containsEntry("note", SECRET));
    }

    @Test
    void resumingARunTwiceIsRefusedTheSecondTime() {
        String approval = onlyApproval(pause(instance("a", model()), "run-1"));
        approvals.approve(approval, "alice");
        Gateway b = instance("b", model());
        b.resumeApproved("run-1", tools);

        assertThatThrownBy(() -> b.resumeApproved("run-1", tools)).isInstanceOf(RunNotResumableException.class);
        assertThat(tools.runs("transfer")).isEqualTo(1);
    }

    @Test
    void approvedWithEditedArgumentsTheToolReceivesTheEditedArguments() {
        String approval = onlyApproval(pause(instance("a", model()), "run-1"));
        approvals.approveWithArguments(approval, "{\"amount\": 20}", "alice");

        LlmResponse answer = instance("b", model()).resumeApproved("run-1", tools);

        assertThat(tools.transfers).singleElement().satisfies(args -> assertThat(args).isEqualTo(Map.of("amount", 20)));
        assertThat(answer.content()).startsWith("done: moved 20");
    }

    @Test
    void aRejectedToolDoesNotRunAndTheModelReadsTheRejectionWithItsReason() {
        ScriptedLlmClient model = model();
        String approval = onlyApproval(pause(instance("a", model), "run-1"));
        approvals.reject(approval, "over the monthly limit", "alice");

        Gateway b = instance("b", model);
        b.resumeApproved("run-1", tools);

        assertThat(tools.runs("transfer")).isZero();
        LlmRequest last = model.requests().get(model.requests().size() - 1);
        assertThat(toolResults(last)).contains("rejected it (over the monthly limit)");
        assertThat(b.getToolCallHistory("payer", 10)).anySatisfy(record -> {
            assertThat(record.toolName()).isEqualTo("transfer");
            assertThat(record.outcome()).isEqualTo(ToolCallOutcome.DENIED);
        });
    }

    @Test
    void anApprovalNotDecidedInTimeIsRejectedAndTheModelReadsThatItExpired() {
        ScriptedLlmClient model = model();
        pause(instance("a", model), "run-1");
        clock.advance(Duration.ofHours(2));

        instance("b", model).resumeApproved("run-1", tools);

        assertThat(tools.runs("transfer")).isZero();
        assertThat(toolResults(model.requests().get(model.requests().size() - 1))).contains("its approval expired");
    }

    @Test
    void ofManyInstancesResumingAtOnceExactlyOneRunsTheRun() throws Exception {
        String approval = onlyApproval(pause(instance("a", model()), "run-1"));
        approvals.approve(approval, "alice");
        int instances = 8;
        List<Gateway> others = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            others.add(instance("i" + i, model()));
        }
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (Gateway other : others) {
            futures.add(threads.submit(() -> {
                start.await();
                try {
                    outcomes.add(other.resumeApproved("run-1", tools));
                } catch (RunNotResumableException | CheckpointException refused) {
                    outcomes.add(refused);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        threads.shutdown();

        assertThat(outcomes).filteredOn(LlmResponse.class::isInstance).hasSize(1);
        assertThat(outcomes).hasSize(instances);
        assertThat(tools.runs("transfer")).isEqualTo(1);
    }

    @Test
    void aClaimWhoseInstanceDiedIsTakenOverAfterTheClaimTimeout() {
        String approval = onlyApproval(pause(instance("a", model()), "run-1"));
        approvals.approve(approval, "alice");
        store.claim("run-1", "dead", clock.instant(), clock.instant().minusSeconds(1));
        Gateway b = instance("b", model());

        assertThat(catchThrowableOfType(RunNotResumableException.class, () -> b.resumeApproved("run-1", tools)).reason())
                .isEqualTo(RunNotResumableException.Reason.CLAIMED);
        clock.advance(Duration.ofMinutes(6));

        assertThat(b.resumeApproved("run-1", tools).content()).startsWith("done: moved 50");
        assertThat(tools.runs("transfer")).isEqualTo(1);
    }

    @Test
    void aSynchronousApprovalHandlerWinsOverDurableApprovals() {
        Gateway gateway = Gateway.builder().provider("scripted", model()).clock(clock)
                .toolAccess(transferNeedsApproval().approvalHandler(request -> true))
                .checkpointEnabled(true).checkpointStore(checkpoints).approvals(approvals).build();
        gateways.add(gateway);

        LlmResponse answer = gateway.callWithTools(run("run-1"), tools);

        assertThat(answer.content()).startsWith("done: moved 50");
        assertThat(store.forRun("run-1")).isEmpty();
    }

    @Test
    void aHandlerThatDoesNotDecideARequestLeavesItToDurableApprovals() {
        ApprovalHandler otherAgentsOnly = new ApprovalHandler() {
            @Override
            public boolean approve(ApprovalRequest request) {
                return true;
            }

            @Override
            public boolean decides(ApprovalRequest request) {
                return !request.agentId().equals("payer");
            }
        };
        Gateway gateway = Gateway.builder().provider("scripted", model()).clock(clock)
                .toolAccess(transferNeedsApproval().approvalHandler(otherAgentsOnly))
                .checkpointEnabled(true).checkpointStore(checkpoints).approvals(approvals).build();
        gateways.add(gateway);

        assertThat(pause(gateway, "run-1")).isNotNull();
        assertThat(tools.runs("transfer")).isZero();
    }

    @Test
    void aRunWithoutAWorkflowIdCannotPauseAndIsDeniedAsWithoutAnApprover() {
        Gateway gateway = instance("a", model());
        GatewayCall noWorkflow = GatewayCall.builder().agentId("payer").provider("scripted").model("gpt-4o-mini")
                .user("pay").tools(List.of(TRANSFER, LOOKUP)).build();

        ToolAccessDeniedException denied = catchThrowableOfType(ToolAccessDeniedException.class,
                () -> gateway.callWithTools(noWorkflow, tools));

        assertThat(denied.outcome()).isEqualTo(AccessOutcome.NO_APPROVER);
        assertThat(tools.runs("transfer") + tools.runs("lookup")).isZero();
    }

    @Test
    void withoutCheckpointsARunCannotPauseAndIsDenied() {
        Gateway gateway = Gateway.builder().provider("scripted", model()).clock(clock).toolAccess(transferNeedsApproval())
                .approvals(approvals).build();
        gateways.add(gateway);

        assertThatThrownBy(() -> gateway.callWithTools(run("run-1"), tools)).isInstanceOf(ToolAccessDeniedException.class);
        assertThat(store.forRun("run-1")).isEmpty();
    }

    @Test
    void aRunPausesAgainAtALaterTurnAndResumesAgainAfterThatDecision() {
        ScriptedLlmClient twice = ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.toolResultCount(2), request -> ScriptedTurn.text("done: " + toolResults(request)))
                .when(ScriptedLlmClient.toolResultCount(1), ScriptedTurn.toolCall("transfer", "{\"amount\":7}"))
                .otherwise(ScriptedTurn.toolCall("transfer", "{\"amount\":5}"))
                .build();
        approvals.approve(onlyApproval(pause(instance("a", twice), "run-1")), "alice");

        RunAwaitingApprovalException again = catchThrowableOfType(RunAwaitingApprovalException.class,
                () -> instance("b", twice).resumeApproved("run-1", tools));
        approvals.approve(onlyApproval(again), "bob");
        LlmResponse answer = instance("c", twice).resumeApproved("run-1", tools);

        assertThat(answer.content()).isEqualTo("done: moved 5 | moved 7");
        assertThat(tools.runs("transfer")).isEqualTo(2);
    }

    @Test
    void aStreamedRunThatReachesAToolNeedingApprovalEndsItsStreamWithThePauseAndResumesLikeAnyOther() throws Exception {
        Gateway a = instance("a", model());
        CollectingSubscriber<StreamEvent> stream = CollectingSubscriber.unbounded();

        a.streamWithTools(run("run-1"), tools).subscribe(stream);
        stream.awaitTermination();

        assertThat(stream.error()).isInstanceOf(RunAwaitingApprovalException.class);
        RunAwaitingApprovalException paused = (RunAwaitingApprovalException) stream.error();
        assertThat(tools.runs("transfer")).isZero();
        approvals.approve(onlyApproval(paused), "alice");
        assertThat(instance("b", model()).resumeApproved("run-1", tools).content()).isEqualTo("done: moved 50 | balance 100");
        assertThat(tools.runs("transfer")).isEqualTo(1);
    }

    @Test
    void anOperatorsDenyAfterTheApprovalStillWins() {
        String approval = onlyApproval(pause(instance("a", model()), "run-1"));
        approvals.approve(approval, "alice");
        Gateway b = Gateway.builder().provider("scripted", model()).clock(clock)
                .toolAccess(transferNeedsApproval().addRule(ToolAccessRule.forTool("transfer").deny("payer")))
                .checkpointEnabled(true).checkpointStore(checkpoints).approvals(approvals).instanceId("b").build();
        gateways.add(b);

        assertThatThrownBy(() -> b.resumeApproved("run-1", tools)).isInstanceOf(ToolAccessDeniedException.class);
        assertThat(tools.runs("transfer")).isZero();
    }
}
