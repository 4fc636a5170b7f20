// The getting-started class of an application already on Spring AI's ChatClient. It lives outside
// com.example.research so that only ChatClientAdvisorTest, which gives it a ChatModel, starts it.
// tag::advisor[]
package com.example.chat;

import dev.agentgateway.spring.agent.Agent;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;

@Agent("assistant")   // every call made inside its methods counts for agent "assistant"
public class Assistant {

    private final ChatClient client;

    public Assistant(ChatModel chatModel, GatewayAdvisor gatewayAdvisor) {
        this.client = ChatClient.builder(chatModel).defaultAdvisors(gatewayAdvisor).build();
    }

    public String ask(String question) {
        return client.prompt(question).call().content();
    }
}
// end::advisor[]
