package dev.agentgateway.core.internal;

import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import dev.agentgateway.core.provider.ProviderException;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.testsupport.TestClients;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderStageTest {

    private final Parts parts = new Parts();
    private final ProviderStage stage = new ProviderStage(parts.providers);

    @Test
    void returnsTheClientsAnswer() {
        LlmResponse answer = stage.complete(parts.prepared(TestClients.echo("0.1")));

        assertThat(answer.content()).isEqualTo("hello");
    }

    @Test
    void aFailureThatEchoesAConfiguredKeyReachesTheCallerWithoutIt() {
        parts.providers.registerFactory(new dev.agentgateway.core.provider.MockLlmClientFactory());
        parts.providers.configure("mock", "sk-secret-key-123456", Map.of());
        PreparedCall prepared = parts.prepared(TestClients.failing(new IllegalStateException("bad key sk-secret-key-123456")));

        assertThatThrownBy(() -> stage.complete(prepared)).isInstanceOf(ProviderException.class)
                .hasMessageNotContaining("sk-secret-key-123456").hasMessageContaining("bad key");
    }

    @Test
    void aTypedFailureKeepsItsType() {
        PreparedCall prepared = parts.prepared(TestClients.failing(new ProviderServerException("p", 503, "busy", null)));

        assertThatThrownBy(() -> stage.complete(prepared)).isInstanceOf(ProviderServerException.class);
    }

    @Test
    void noAnswerAtAllIsABadResponse() {
        PreparedCall prepared = parts.prepared(new TestClients.CountingClient(request -> null, null));

        assertThatThrownBy(() -> stage.complete(prepared)).isInstanceOf(ProviderBadResponseException.class)
                .hasMessageContaining("returned no response");
    }
}
