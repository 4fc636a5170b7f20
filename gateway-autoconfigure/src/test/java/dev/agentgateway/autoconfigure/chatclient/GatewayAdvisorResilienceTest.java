package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceSettingsMapper;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceProperties;
import dev.agentgateway.spring.provider.resilience.ResilientCallStrategy;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.MockLlmClient;
import dev.agentgateway.core.provider.ProviderException;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.core.Ordered;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The advisor under the Resilience4j call strategy: retries and fallbacks of ChatClient calls. */
class GatewayAdvisorResilienceTest {

    /**
     * A ChatModel that fails, as Spring AI's retry-aware clients do, with a 503 while
     * {@code failing} says so for the prompt, and otherwise answers "pong" with 12 + 3 tokens.
     */
    static final class FlakyModel implements ChatModel {
        final List<Prompt> prompts = new CopyOnWriteArrayList<>();
        private final Predicate<Prompt> failing;

        FlakyModel(Predicate<Prompt> failing) {
            this.failing = failing;
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            prompts.add(prompt);
            if (failing.test(prompt)) {
                throw new TransientAiException("503 - upstream overloaded");
            }
            ChatResponseMetadata metadata = ChatResponseMetadata.builder().model(modelOf(prompt))
                    .usage(new DefaultUsage(12, 3)).build();
            return new ChatResponse(List.of(new Generation(new AssistantMessage("pong"))), metadata);
        }

        int calls() {
            return prompts.size();
        }
    }

    /** An advisor after the gateway's: counts how often the rest of the chain runs. */
    static final class InnerAdvisor implements CallAdvisor {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
            calls.incrementAndGet();
            return chain.nextCall(request);
        }

        @Override
        public String getName() {
            return "inner";
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE - 1;
        }
    }

    private static String modelOf(Prompt prompt) {
        ChatOptions options = prompt.getOptions();
        return options == null || options.getModel() == null ? "gpt-4o-mini" : options.getModel();
    }

    private static ResilienceProperties resilience() {
        ResilienceProperties properties = new ResilienceProperties();
        properties.getRetry().setInitialBackoff(Duration.ZERO);
        properties.getCircuitBreaker().setEnabled(false);
        return properties;
    }

    private static ChatClient client(ChatModel model, Gateway gateway, CallAdvisor... more) {
        ChatClient.Builder builder = ChatClient.builder(model)
                .defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").build());
        for (CallAdvisor advisor : more) {
            builder.defaultAdvisors(advisor);
        }
        return builder.build();
    }

    @Test
    void aRetryAfterAServerErrorRunsTheRestOfTheChainAgainAndAnswers() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        FlakyModel model = new FlakyModel(prompt -> failuresLeft.getAndDecrement() > 0);
        InnerAdvisor inner = new InnerAdvisor();
        Gateway gateway = Gateway.builder().callStrategy(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(resilience()))).build();

        String answer = client(model, gateway, inner).prompt().user("ping").call().content();

        assertThat(answer).isEqualTo("pong");
        assertThat(model.calls()).isEqualTo(2);
        assertThat(inner.calls).hasValue(2);
        assertThat(gateway.getCallHistory("assistant", null))
                .extracting(CallRecord::success, CallRecord::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, 1), org.assertj.core.groups.Tuple.tuple(true, 2));
        assertThat(gateway.metrics().totalSteps()).isEqualTo(1);
    }

    @Test
    void concurrentCallsEachRetryOnTheirOwnChain() throws Exception {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        FlakyModel model = new FlakyModel(prompt -> failedOnce.add(prompt.getUserMessage().getText()));
        Gateway gateway = Gateway.builder().callStrategy(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(resilience()))).build();
        ChatClient client = client(model, gateway);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String question = "question " + i;
                answers.add(threads.submit(() -> client.prompt().user(question).call().content()));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("pong");
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(model.calls()).isEqualTo(64);
        assertThat(gateway.metrics().totalSteps()).isEqualTo(32);
        assertThat(gateway.getCallHistory("assistant", null)).filteredOn(CallRecord::success).hasSize(32);
    }

    @Test
    void aFailureOfTheChatModelReachesTheCallerAsTheTypedProviderException() {
        FlakyModel model = new FlakyModel(prompt -> true);
        Gateway gateway = Gateway.builder().callStrategy(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(resilience()))).build();

        assertThatThrownBy(() -> client(model, gateway).prompt().user("ping").call().content())
                .isInstanceOf(dev.agentgateway.core.provider.ProviderServerException.class)
                .hasMessageContaining("503");
        assertThat(model.calls()).isEqualTo(3);
    }

    @Test
    void aRequestTheProviderRefusesIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        ChatModel refusing = prompt -> {
            calls.incrementAndGet();
            throw new NonTransientAiException("400 - unknown parameter");
        };
        Gateway gateway = Gateway.builder().callStrategy(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(resilience()))).build();

        assertThatThrownBy(() -> client(refusing, gateway).prompt().user("ping").call().content())
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("400");
        assertThat(calls).hasValue(1);
    }

    @Test
    void aFallbackProvidersAnswerComesBackAsAChatClientResponseWithItsUsage() {
        FlakyModel model = new FlakyModel(prompt -> true);
        ResilienceProperties properties = resilience();
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target("backup", "backup-model")));
        MockLlmClient backup = MockLlmClient.builder().defaultResponse("from backup").tokens(7, 2).build();
        Gateway gateway = Gateway.builder().callStrategy(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties)))
                .provider("backup", backup).build();

        ChatClientResponse response = client(model, gateway).prompt().user("ping").call().chatClientResponse();

        assertThat(response).isNotNull();
        ChatResponse chat = response.chatResponse();
        assertThat(chat.getResult().getOutput().getText()).isEqualTo("from backup");
        assertThat(chat.getResult().getMetadata().getFinishReason()).isEqualTo("stop");
        assertThat(chat.getMetadata().getModel()).isEqualTo("backup-model");
        assertThat(chat.getMetadata().getUsage().getPromptTokens()).isEqualTo(7);
        assertThat(chat.getMetadata().getUsage().getCompletionTokens()).isEqualTo(2);
        assertThat((String) chat.getMetadata().get(GatewayAdvisor.PROVIDER_METADATA_KEY)).isEqualTo("backup");
        assertThat(backup.requestCount()).isEqualTo(1);
        assertThat(backup.requests().get(0).messages()).extracting(m -> m.content()).containsExactly("ping");
        CallRecord last = gateway.getCallHistory("assistant", 1).get(0);
        assertThat(last.success()).isTrue();
        assertThat(last.provider()).isEqualTo("backup");
    }

    @Test
    void aFallbackToAnotherModelOfTheSameChatModelSendsThatModel() {
        FlakyModel model = new FlakyModel(prompt -> modelOf(prompt).equals("gpt-4o"));
        ResilienceProperties properties = resilience();
        properties.getRetry().setMaxAttempts(1);
        properties.setFallbacks(List.of(new AgentGatewayProperties.Target(GatewayAdvisor.DEFAULT_PROVIDER_ID, "gpt-4o-mini")));
        Gateway gateway = Gateway.builder().callStrategy(new ResilientCallStrategy(ResilienceSettingsMapper.resilience(properties))).build();

        ChatResponse chat = client(model, gateway).prompt().user("ping")
                .options(ChatOptions.builder().model("gpt-4o").temperature(0.2))
                .call().chatResponse();

        assertThat(chat.getResult().getOutput().getText()).isEqualTo("pong");
        assertThat(model.prompts).extracting(GatewayAdvisorResilienceTest::modelOf).containsExactly("gpt-4o", "gpt-4o-mini");
        assertThat(model.prompts.get(1).getOptions().getTemperature()).isEqualTo(0.2);
        assertThat(gateway.getCallHistory("assistant", 1).get(0).model()).isEqualTo("gpt-4o-mini");
    }
}
