package dev.agentgateway.core;

import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SecretScrubbingTest {

    private static final String KEY = "sk-test-0123456789abcdef";

    /** A client that echoes its key in its errors, as careless SDKs do. */
    private static LlmClientFactory leakyFactory(RuntimeException failure) {
        return new LlmClientFactory() {
            @Override
            public String providerId() {
                return "leaky";
            }

            @Override
            public LlmClient create(String apiKey, Map<String, ?> options) {
                return request -> {
                    throw failure;
                };
            }
        };
    }

    @Test
    void aForeignExceptionThatEchoesTheKeyIsScrubbedAndNotKeptAsCause() {
        Gateway gateway = Gateway.builder().clientFactory(leakyFactory(new IllegalStateException("rejected key " + KEY))).build()
                .configureProvider("leaky", KEY, Map.of());
        ProviderException thrown = catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"));
        assertThat(thrown.getMessage()).doesNotContain(KEY).contains("******");
        assertThat(thrown.getCause()).isNull();
        CallRecord record = gateway.getCallHistory(null, null).get(0);
        assertThat(record.error()).doesNotContain(KEY);
    }

    @Test
    void aProviderExceptionThatEchoesTheKeyIsScrubbedAndKeepsItsRetryability() {
        Gateway gateway = Gateway.builder()
                .clientFactory(leakyFactory(new ProviderServerException("leaky", 500, "upstream said " + KEY, null))).build()
                .configureProvider("leaky", KEY, Map.of());
        ProviderException thrown = catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"));
        assertThat(thrown.getMessage()).doesNotContain(KEY);
        assertThat(thrown.isRetryable()).isTrue();
    }

    @Test
    void aCleanProviderExceptionReachesTheCallerUnchanged() {
        ProviderServerException clean = new ProviderServerException("leaky", 503, "unavailable", null);
        Gateway gateway = Gateway.builder().clientFactory(leakyFactory(clean)).build().configureProvider("leaky", KEY, Map.of());
        assertThat(catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"))).isSameAs(clean);
    }
}
