package dev.agentgateway.core.internal.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The streams running now, by agent, so that an operator's stop or pause cuts them at once rather
 * than at their next chunk (a provider that stalls sends none). A stream is added when it opens
 * and removed when it is settled.
 */
public final class LiveStreams {

    private final Map<GovernedStream<?, ?>, String> streams = new ConcurrentHashMap<>();

    public void add(GovernedStream<?, ?> stream, String agentId) {
        streams.put(stream, agentId);
    }

    public void remove(GovernedStream<?, ?> stream) {
        if (stream != null) {
            streams.remove(stream);
        }
    }

    /** Cuts every stream, each with the cut made for its agent. */
    public void cutAll(Function<String, GovernedStream.Cut> cutOfAgent) {
        streams.forEach((stream, agentId) -> stream.cut(cutOfAgent.apply(agentId)));
    }

    /** Cuts the streams of one agent. */
    public void cutAgent(String agentId, GovernedStream.Cut cut) {
        streams.forEach((stream, agent) -> {
            if (agent.equals(agentId)) {
                stream.cut(cut);
            }
        });
    }

    /** How many streams are running. */
    public int size() {
        return streams.size();
    }
}
