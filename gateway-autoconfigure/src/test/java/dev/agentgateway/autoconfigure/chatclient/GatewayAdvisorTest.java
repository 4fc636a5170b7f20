package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.ProviderBadResponseException;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayAdvisorTest {

    /** A ChatModel that answers "pong" and reports 12 prompt and 3 completion tokens of gpt-4o-mini. */
    static final class PongModel implements ChatModel {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChatResponse call(Prompt prompt) {
            calls.incrementAndGet();
            ChatResponseMetadata metadata = ChatResponseMetadata.builder().model("gpt-4o-mini")
                    .usage(new DefaultUsage(12, 3)).build();
            return new ChatResponse(List.of(new Generation(new AssistantMessage("pong"))), metadata);
        }
    }

    private final PongModel model = new PongModel();
    private final Gateway gateway = Gateway.builder().limits(ExecutionLimits.builder().maxSteps(2).build()).build();
    private final ChatClient client = ChatClient.builder(model)
            .defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").build()).build();

    @Test
    void chatClientCallIsRecordedWithItsTokensAndCost() {
        assertThat(client.prompt().system("be brief").user("ping").call().content()).isEqualTo("pong");
        CallRecord record = gateway.getCallHistory("assistant", null).get(0);
        assertThat(record.success()).isTrue();
        assertThat(record.provider()).isEqualTo("chat-client");
        assertThat(record.model()).isEqualTo("gpt-4o-mini");
        assertThat(record.request().messages()).extracting(m -> m.content()).containsExactly("be brief", "ping");
        assertThat(record.inputTokens()).isEqualTo(12);
        assertThat(record.outputTokens()).isEqualTo(3);
        assertThat(record.cost()).isPositive();
        assertThat(gateway.metrics().totalTokens()).isEqualTo(15);
    }

    @Test
    void aChatModelThatReportsNoUsageIsChargedTheGatewaysCountNotNothing() {
        ChatModel silent = prompt -> new ChatResponse(List.of(new Generation(new AssistantMessage("pong"))));
        ChatClient uncounted = ChatClient.builder(silent)
                .defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").defaultModel("gpt-4o-mini").build()).build();

        assertThat(uncounted.prompt().user("how many tokens is this prompt?").call().content()).isEqualTo("pong");

        CallRecord record = gateway.getCallHistory("assistant", null).get(0);
        assertThat(record.inputTokens()).isPositive();
        assertThat(record.outputTokens()).isPositive();
        assertThat(record.cost()).isPositive();
    }

    @Test
    void aChatModelThatAnswersNothingFailsTheCallWithATypedError() {
        ChatModel empty = prompt -> new ChatResponse(List.of());
        ChatClient answerless = ChatClient.builder(empty)
                .defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").build()).build();

        assertThatThrownBy(() -> answerless.prompt().user("ping").call().content())
                .isInstanceOf(ProviderBadResponseException.class);
        assertThat(gateway.getCallHistory("assistant", null)).singleElement()
                .satisfies(record -> assertThat(record.success()).isFalse());
    }

    @Test
    void limitsRefuseAChatClientCallBeforeTheModelIsCalled() {
        client.prompt().user("one").call().content();
        client.prompt().user("two").call().content();
        assertThatThrownBy(() -> client.prompt().user("three").call().content())
                .isInstanceOf(StepLimitExceededException.class);
        assertThat(model.calls).hasValue(2);
    }

    @Test
    void promptWithoutAModelIsEstimatedWithTheDefaultModelSoTheBudgetHoldsItBack() {
        Gateway budgeted = Gateway.builder().limits(ExecutionLimits.builder().maxBudget("0.0000001").build()).build();
        ChatClient guarded = ChatClient.builder(model)
                .defaultAdvisors(GatewayAdvisor.builder(budgeted).agentId("assistant").defaultModel("gpt-4o").build()).build();
        assertThatThrownBy(() -> guarded.prompt().user("hi").call().content())
                .isInstanceOf(dev.agentgateway.core.limits.BudgetExceededException.class);
        assertThat(model.calls).hasValue(0);
    }

    @Test
    void withoutAnAgentIdTheContextsAgentIsCharged() {
        ChatClient contextual = ChatClient.builder(model).defaultAdvisors(GatewayAdvisor.builder(gateway).build()).build();
        new GatewayContext("planner", null, null).run(() -> contextual.prompt().user("hi").call().content());
        assertThat(gateway.getCallHistory("planner", null)).hasSize(1);
    }
}
