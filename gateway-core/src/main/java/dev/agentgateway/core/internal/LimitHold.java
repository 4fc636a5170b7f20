package dev.agentgateway.core.internal;

import java.util.function.Supplier;

/**
 * Whether the call being made on this thread is an ordinary call of a tool run whose agent finishes
 * at a limit (so it is held to the limits less their reserve), or its last call (which may use the
 * reserve). Outside a tool run, or on another thread, a call is neither: it sees the full limits.
 * The tool loop sets it around one pipeline call; the reserve stage reads it.
 */
public final class LimitHold {

    /** How the current call is held. */
    public enum Mode { NONE, HELD_BACK, FINISHING }

    private static final ThreadLocal<Mode> MODE = ThreadLocal.withInitial(() -> Mode.NONE);

    private LimitHold() {
    }

    public static Mode current() {
        return MODE.get();
    }

    public static <T> T with(Mode mode, Supplier<T> call) {
        Mode before = MODE.get();
        MODE.set(mode);
        try {
            return call.get();
        } finally {
            MODE.set(before);
        }
    }
}
