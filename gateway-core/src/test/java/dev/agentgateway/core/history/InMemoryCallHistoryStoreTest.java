package dev.agentgateway.core.history;

import dev.agentgateway.core.provider.LlmMessage;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.tools.ToolCallOutcome;
import dev.agentgateway.core.tools.ToolCallRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounded in-memory history behind {@code getCallHistory} (scenario 5 and the ring buffer). */
class InMemoryCallHistoryStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static CallRecord record(int n, String agent, boolean success) {
        LlmRequest request = new LlmRequest("mock", "m", List.of(LlmMessage.user("call " + n)), null, null, null);
        CallRecord.Origin origin = new CallRecord.Origin("id-" + n, agent, request, T0.plusSeconds(n),
                agent.equals("a") ? "wf-a" : null, n, null, 1);
        return success
                ? CallRecord.success(origin, new LlmResponse("answer " + n, List.of(), 1, 1, BigDecimal.ZERO, "m", "mock", 1, "stop"),
                        true, 1.0)
                : CallRecord.failure(origin, "failed", new IllegalStateException("failed"), 1.0);
    }

    private static List<String> ids(List<CallRecord> records) {
        return records.stream().map(CallRecord::callId).toList();
    }

    @Test
    void ringBufferKeepsOnlyTheNewestRecordsUpToItsCapacity() {
        InMemoryCallHistoryStore store = new InMemoryCallHistoryStore(3);
        for (int n = 1; n <= 5; n++) {
            store.append(record(n, "a", true));
        }

        assertThat(store.capacity()).isEqualTo(3);
        assertThat(store.size()).isEqualTo(3);
        assertThat(ids(store.find(HistoryQuery.all()))).containsExactly("id-3", "id-4", "id-5");
    }

    @Test
    void ringBufferWrapsAroundManyTimes() {
        InMemoryCallHistoryStore store = new InMemoryCallHistoryStore(4);
        for (int n = 1; n <= 1_001; n++) {
            store.append(record(n, "a", true));
        }

        assertThat(ids(store.find(HistoryQuery.all()))).containsExactly("id-998", "id-999", "id-1000", "id-1001");
    }

    @Test
    void limitReturnsTheNewestMatchesOldestFirst() {
        InMemoryCallHistoryStore store = new InMemoryCallHistoryStore(10);
        for (int n = 1; n <= 6; n++) {
            store.append(record(n, n % 2 == 0 ? "even" : "odd", true));
        }

        assertThat(ids(store.find(HistoryQuery.byAgent("even", 2)))).containsExactly("id-4", "id-6");
        assertThat(ids(store.find(HistoryQuery.byAgent(null, 0)))).isEmpty();
        assertThat(ids(store.find(HistoryQuery.byAgent("nobody", null)))).isEmpty();
    }

    @Test
    void queriesFilterBySuccessWorkflowAndTime() {
        InMemoryCallHistoryStore store = new InMemoryCallHistoryStore(10);
        store.append(record(1, "a", true));
        store.append(record(2, "b", false));
        store.append(record(3, "a", false));

        assertThat(ids(store.find(HistoryQuery.all().withSuccess(false)))).containsExactly("id-2", "id-3");
        assertThat(ids(store.find(HistoryQuery.all().withWorkflow("wf-a")))).containsExactly("id-1", "id-3");
        assertThat(ids(store.find(HistoryQuery.all().withSince(T0.plusSeconds(2)).withUntil(T0.plusSeconds(3)))))
                .containsExactly("id-2");
    }

    @Test
    void toolCallsHaveTheirOwnRing() {
        InMemoryCallHistoryStore store = new InMemoryCallHistoryStore(2);
        for (int n = 1; n <= 3; n++) {
            store.appendToolCall(new ToolCallRecord(T0, "a", null, null, "call_" + n, "t", "{}", ToolCallOutcome.SUCCESS, "ok", 0));
        }
        store.append(record(1, "a", true));

        assertThat(store.findToolCalls(HistoryQuery.all())).extracting(ToolCallRecord::toolCallId)
                .containsExactly("call_2", "call_3");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void clearForgetsEverything() {
        InMemoryCallHistoryStore store = new InMemoryCallHistoryStore(2);
        store.append(record(1, "a", true));
        store.append(record(2, "a", true));
        store.append(record(3, "a", true));

        store.clear();
        store.append(record(4, "a", true));

        assertThat(ids(store.find(HistoryQuery.all()))).containsExactly("id-4");
    }

    @Test
    void capacityBelowOneIsRejected() {
        assertThatThrownBy(() -> new InMemoryCallHistoryStore(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeLimitIsRejected() {
        assertThatThrownBy(() -> HistoryQuery.byAgent(null, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
