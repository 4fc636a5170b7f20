package dev.agentgateway.core.state;

import dev.agentgateway.core.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenario 51: shared state with dotted paths, versions, snapshots and restore. */
class SharedStateTest {

    @Test
    void valueSetAtADottedPathIsReadBack() { // scenario 51
        SharedState state = new SharedState();

        state.set("research.topic", "agent gateways");

        assertThat(state.get("research.topic")).isEqualTo("agent gateways");
        assertThat(state.get("research")).isEqualTo(Map.of("topic", "agent gateways"));
        assertThat(state.toMap()).isEqualTo(Map.of("research", Map.of("topic", "agent gateways")));
    }

    @Test
    void missingPathReadsAsNullOrTheDefault() { // scenario 51
        SharedState state = new SharedState(Map.of("research", Map.of("topic", "x")));

        assertThat(state.get("research.missing")).isNull();
        assertThat(state.get("research.topic.deeper")).isNull();
        assertThat(state.get("nothing", "fallback")).isEqualTo("fallback");
        assertThat(state.has("research.topic")).isTrue();
        assertThat(state.has("research.missing")).isFalse();
    }

    @Test
    void versionIncreasesOnEachChange() { // scenario 51
        SharedState state = new SharedState();
        assertThat(state.version()).isZero();

        state.set("a", 1);
        state.set("a", 1);
        state.update(Map.of("b", 2, "c.d", 3));
        state.delete("a");

        assertThat(state.version()).isEqualTo(4);
        assertThat(state.toMap()).isEqualTo(Map.of("b", 2, "c", Map.of("d", 3)));
    }

    @Test
    void deletingAMissingPathIsNoChange() { // scenario 51
        SharedState state = new SharedState(Map.of("a", 1));

        assertThat(state.delete("b")).isFalse();
        assertThat(state.version()).isZero();
    }

    @Test
    void snapshotDoesNotChangeWhenTheStateChangesLater() { // scenario 51
        MutableClock clock = MutableClock.create();
        SharedState state = new SharedState(Map.of(), clock, 100);
        state.set("research.topic", "first");
        StateSnapshot snapshot = state.snapshot();

        state.set("research.topic", "second");
        state.set("research.sources", List.of("a", "b"));

        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(snapshot.data()).isEqualTo(Map.of("research", Map.of("topic", "first")));
        assertThat(snapshot.timestamp()).isEqualTo(clock.instant());
    }

    @Test
    void restoreBringsBackTheValuesOfAnEarlierVersion() { // scenario 51
        SharedState state = new SharedState();
        state.set("research.topic", "first");
        int first = state.version();
        state.set("research.topic", "second");
        state.set("draft", "text");

        state.restore(first);

        assertThat(state.get("research.topic")).isEqualTo("first");
        assertThat(state.get("draft")).isNull();
        assertThat(state.version()).isEqualTo(4);
    }

    @Test
    void restoringAVersionThatIsNotKeptFails() { // scenario 51
        SharedState state = new SharedState(Map.of(), MutableClock.create(), 2);
        state.set("a", 1);
        state.set("a", 2);
        state.set("a", 3);

        assertThat(state.versions()).containsExactly(2, 3);
        assertThatThrownBy(() -> state.restore(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 0");
    }

    @Test
    void valuesAreCopiedInAndOut() { // scenario 51
        List<String> sources = new ArrayList<>(List.of("a"));
        SharedState state = new SharedState();
        state.set("sources", sources);

        sources.add("b");
        @SuppressWarnings("unchecked")
        List<String> read = (List<String>) state.get("sources");
        @SuppressWarnings("unchecked")
        Map<String, Object> whole = state.toMap();
        whole.put("intruder", true);

        assertThat(read).containsExactly("a");
        assertThat(state.has("intruder")).isFalse();
    }

    @Test
    void equalContentHasEqualHashWhateverTheVersion() { // scenario 51 (what loop detection compares)
        SharedState one = new SharedState(Map.of("a", 1));
        SharedState other = new SharedState();
        other.set("a", 2);
        other.set("a", 1);

        assertThat(one.contentHash()).isEqualTo(other.contentHash());
        assertThat(one.version()).isNotEqualTo(other.version());
    }

    @Test
    void invalidPathsAreRejected() { // scenario 51
        SharedState state = new SharedState();

        assertThatThrownBy(() -> state.set("a..b", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> state.set(".a", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> state.get(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
