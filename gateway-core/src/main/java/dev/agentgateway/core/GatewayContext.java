package dev.agentgateway.core;

import java.util.function.Supplier;

/**
 * The agent, workflow run and tenant that calls made on this thread belong to, when the calls
 * themselves do not say. Frameworks set it around an agent's work (the starter does for
 * {@code @Agent} beans); values given on a {@link GatewayCall} take precedence.
 */
public record GatewayContext(String agentId, String workflowId, String tenant) {

    private static final ThreadLocal<GatewayContext> CURRENT = new ThreadLocal<>();
    private static final GatewayContext EMPTY = new GatewayContext(null, null, null);

    /** The context of this thread; never null (all fields null when none is set). */
    public static GatewayContext current() {
        GatewayContext context = CURRENT.get();
        return context == null ? EMPTY : context;
    }

    /** Runs {@code work} with this context on the current thread, restoring the previous one after. */
    public <T> T call(Supplier<T> work) {
        GatewayContext previous = CURRENT.get();
        CURRENT.set(mergedOver(previous));
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** This context, with blanks filled from an outer one. */
    private GatewayContext mergedOver(GatewayContext outer) {
        if (outer == null) {
            return this;
        }
        return new GatewayContext(agentId != null ? agentId : outer.agentId,
                workflowId != null ? workflowId : outer.workflowId, tenant != null ? tenant : outer.tenant);
    }
}
