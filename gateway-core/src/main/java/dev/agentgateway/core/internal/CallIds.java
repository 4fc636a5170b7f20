package dev.agentgateway.core.internal;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Call ids unique to one gateway instance: a random prefix and a sequence. */
public final class CallIds {

    private final String prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
    private final AtomicLong sequence = new AtomicLong();

    public String next() {
        return prefix + sequence.incrementAndGet();
    }
}
