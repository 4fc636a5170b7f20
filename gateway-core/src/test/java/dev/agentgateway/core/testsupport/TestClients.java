package dev.agentgateway.core.testsupport;

import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.LlmResponse;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Small provider clients for tests. */
public final class TestClients {

    private TestClients() {
    }

    /** Answers with the text of the last user message, at a fixed cost and token count. */
    public static CountingClient echo(String costPerCall) {
        BigDecimal cost = new BigDecimal(costPerCall);
        return new CountingClient(request -> new LlmResponse(request.lastUserMessage(), List.of(), 10, 5, cost,
                request.model(), request.provider(), 0, "stop"), cost);
    }

    /** Always throws {@code failure}; has no cost estimate of its own. */
    public static CountingClient failing(RuntimeException failure) {
        return failing(failure, null);
    }

    /** Always throws {@code failure}, after the gateway reserved {@code estimate} for the call. */
    public static CountingClient failing(RuntimeException failure, String estimate) {
        return new CountingClient(request -> {
            throw failure;
        }, estimate == null ? null : new BigDecimal(estimate));
    }

    /** A client that counts the requests it receives and delegates their answers. */
    public static final class CountingClient implements LlmClient {
        private final LlmClient delegate;
        private final BigDecimal estimate;
        private final AtomicInteger requests = new AtomicInteger();

        public CountingClient(LlmClient delegate, BigDecimal estimate) {
            this.delegate = delegate;
            this.estimate = estimate;
        }

        @Override
        public LlmResponse complete(LlmRequest request) {
            requests.incrementAndGet();
            return delegate.complete(request);
        }

        @Override
        public Optional<BigDecimal> estimateCost(LlmRequest request) {
            return Optional.ofNullable(estimate);
        }

        public int requestCount() {
            return requests.get();
        }
    }
}
