package dev.agentgateway.bench;

import org.openjdk.jmh.annotations.Threads;

/** {@link CallOverhead} on two threads sharing each framework's one instance (the machine has two cores). */
@Threads(2)
public class TwoThreads extends CallOverhead {
}
