package dev.agentgateway.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link CallOverhead} on one thread. */
@Threads(1)
public class OneThread extends CallOverhead {
}
