package com.example.research;

import com.example.chat.Assistant;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The getting-started class that puts an existing ChatClient under the gateway works as written. */
@SpringBootTest(properties = {"agent-gateway.default-provider=mock", "OPENAI_API_KEY=unused-offline"})
@Import({Assistant.class, ChatClientAdvisorTest.ApplicationsOwnModel.class})
class ChatClientAdvisorTest {

    @TestConfiguration
    static class ApplicationsOwnModel {

        /** The application's own model; here one that always answers the same. */
        @Bean
        ChatModel chatModel() {
            return prompt -> new ChatResponse(List.of(new Generation(new AssistantMessage("Governed."))));
        }
    }

    @Autowired
    Assistant assistant;

    @Autowired
    Gateway gateway;

    @Autowired
    GatewayAdvisor gatewayAdvisor;

    @Autowired
    ChatModel chatModel;

    @BeforeEach
    void forgetEarlierCalls() {
        gateway.reset();
    }

    @Test
    void aChatClientCallInsideAnAgentClassIsRecordedForThatAgent() {
        assertThat(assistant.ask("What is a budget?")).isEqualTo("Governed.");

        assertThat(gateway.getCallHistory("assistant", null)).singleElement().satisfies(call -> {
            assertThat(call.success()).isTrue();
            assertThat(call.provider()).isEqualTo(GatewayAdvisor.DEFAULT_PROVIDER_ID);
        });
    }

    @Test
    void aChatClientCallOutsideAnyAgentIsRefused() {
        ChatClient client = ChatClient.builder(chatModel).defaultAdvisors(gatewayAdvisor).build();

        assertThatIllegalArgumentException().isThrownBy(() -> client.prompt("What is a budget?").call().content())
                .withMessageContaining("a call needs an agent id");
        assertThat(gateway.getCallHistory(null, null)).isEmpty();
    }

    @Test
    void anAdvisorBuiltForOneAgentCountsEveryCallForIt() {
        GatewayAdvisor advisor = GatewayAdvisor.builder(gateway).agentId("assistant").defaultModel("gpt-4o-mini").build();
        ChatClient client = ChatClient.builder(chatModel).defaultAdvisors(advisor).build();

        assertThat(client.prompt("What is a budget?").call().content()).isEqualTo("Governed.");
        assertThat(gateway.getCallHistory("assistant", null)).singleElement()
                .satisfies(call -> assertThat(call.model()).isEqualTo("gpt-4o-mini"));
    }
}
