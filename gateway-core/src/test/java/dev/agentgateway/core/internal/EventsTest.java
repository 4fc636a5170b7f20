package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayListener;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.history.HistoryQuery;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.provider.LlmRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventsTest {

    @Test
    void aListenerThatThrowsDoesNotKeepTheRecordFromTheHistoryOrTheOtherListeners() {
        InMemoryCallHistoryStore history = new InMemoryCallHistoryStore();
        List<String> heard = new ArrayList<>();
        GatewayListener throwing = new GatewayListener() {
            @Override
            public void onCallRecorded(CallRecord record) {
                throw new IllegalStateException("broken listener");
            }
        };
        GatewayListener counting = new GatewayListener() {
            @Override
            public void onCallRecorded(CallRecord record) {
                heard.add(record.callId());
            }
        };
        Events events = new Events(history, List.of(throwing, counting));
        CallRecord.Origin origin = new CallRecord.Origin("c-1", "a", new LlmRequest("p", "m", List.of(), List.of(), null, 1),
                Instant.EPOCH, null, null, null, 1);

        events.record(CallRecord.refused(origin, "no", new IllegalStateException("no"), "kill-switch"));

        assertThat(history.find(HistoryQuery.byAgent(null, null))).hasSize(1);
        assertThat(heard).containsExactly("c-1");
    }
}
