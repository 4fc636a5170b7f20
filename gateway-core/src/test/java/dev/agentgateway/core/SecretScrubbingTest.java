package dev.agentgateway.core;

import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderAuthenticationException;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.provider.ProviderRateLimitedException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ProviderTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
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

    private static Gateway leaky(RuntimeException failure) {
        return Gateway.builder().clientFactory(leakyFactory(failure)).build().configureProvider("leaky", KEY, Map.of());
    }

    private static void assertNoKeyInTheChain(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
            assertThat(t.toString()).doesNotContain(KEY);
        }
    }

    @Test
    void aForeignExceptionThatEchoesTheKeyIsScrubbedAndKeptOnlyAsARedactedCopy() {
        Gateway gateway = leaky(new IllegalStateException("rejected key " + KEY, new RuntimeException("again " + KEY)));

        ProviderException thrown = catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"));

        assertThat(thrown.getMessage()).doesNotContain(KEY).contains("******");
        assertNoKeyInTheChain(thrown);
        assertThat(thrown.getCause()).hasToString("java.lang.IllegalStateException: rejected key ******");
        assertThat(gateway.getCallHistory(null, null).get(0).error()).doesNotContain(KEY);
    }

    @Test
    void aServerErrorThatEchoesTheKeyStaysARetryableServerErrorWithItsStatus() {
        ProviderServerException leak = new ProviderServerException("leaky", 503, "upstream said " + KEY, null);
        Gateway gateway = leaky(leak);

        ProviderException thrown = catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"));

        assertThat(thrown).isExactlyInstanceOf(ProviderServerException.class);
        assertThat(((ProviderServerException) thrown).status()).isEqualTo(503);
        assertThat(thrown.isRetryable()).isTrue();
        assertThat(thrown.getMessage()).isEqualTo("upstream said ******");
        assertThat(thrown.getStackTrace()).isEqualTo(leak.getStackTrace());
        assertThat(gateway.getCallHistory(null, null).get(0).errorType()).isEqualTo("ProviderServerException");
    }

    @Test
    void aRateLimitThatEchoesTheKeyKeepsItsRetryAfter() {
        Gateway gateway = leaky(new ProviderRateLimitedException("leaky", "slow down, " + KEY, Duration.ofSeconds(7), null));

        ProviderException thrown = catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"));

        assertThat(thrown).isExactlyInstanceOf(ProviderRateLimitedException.class);
        assertThat(((ProviderRateLimitedException) thrown).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(thrown.getMessage()).doesNotContain(KEY);
    }

    @Test
    void aTypedFailureWhoseCauseEchoesTheKeyKeepsItsTypeAndARedactedCause() {
        Gateway gateway = leaky(new ProviderTimeoutException("leaky", "timed out", new IllegalStateException("with " + KEY)));

        ProviderException thrown = catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"));

        assertThat(thrown).isExactlyInstanceOf(ProviderTimeoutException.class).hasMessage("timed out");
        assertNoKeyInTheChain(thrown);
        assertThat(thrown.getCause()).hasToString("java.lang.IllegalStateException: with ******");
    }

    @Test
    void everyTypedProviderFailureCopiesToItsOwnType() {
        List<ProviderException> failures = List.of(new ProviderException("p", "m"),
                new ProviderAuthenticationException("p", "m", null), new ProviderBadResponseException("p", "m", null),
                ProviderNotFoundException.notRegistered("p"), new ProviderRateLimitedException("p", "m", Duration.ofSeconds(1), null),
                new ProviderServerException("p", 500, "m", null), new ProviderTimeoutException("p", "m", null));

        for (ProviderException failure : failures) {
            ProviderException copy = failure.withMessage("clean", null);
            assertThat(copy).isExactlyInstanceOf(failure.getClass()).hasMessage("clean");
            assertThat(copy.isRetryable()).isEqualTo(failure.isRetryable());
            assertThat(copy.provider()).isEqualTo("p");
        }
    }

    @Test
    void aKeyShapedTokenInAnErrorIsScrubbedEvenWhenNotConfigured() {
        String shaped = "sk-" + "live0123456789abcdefXYZ"; // assembled so no key-shaped literal is committed
        Gateway gateway = Gateway.builder().provider("leaky", request -> {
            throw new IllegalStateException("bad key " + shaped);
        }).build();

        ProviderException thrown = catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"));

        assertThat(thrown.getMessage()).doesNotContain(shaped);
    }

    @Test
    void aCleanProviderExceptionReachesTheCallerUnchanged() {
        ProviderServerException clean = new ProviderServerException("leaky", 503, "unavailable", null);
        Gateway gateway = Gateway.builder().clientFactory(leakyFactory(clean)).build().configureProvider("leaky", KEY, Map.of());
        assertThat(catchThrowableOfType(ProviderException.class, () -> gateway.call("agent", "leaky", "m", "hi"))).isSameAs(clean);
    }
}
