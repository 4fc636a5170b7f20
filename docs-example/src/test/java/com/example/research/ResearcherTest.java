// tag::offline-test[]
package com.example.research;

import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import dev.agentgateway.core.provider.ToolSpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static dev.agentgateway.core.provider.ScriptedLlmClient.lastMessageIsToolResult;
import static org.assertj.core.api.Assertions.assertThat;

// the key is never used: every agent answers from the scripted model below
@SpringBootTest(properties = {"agent-gateway.default-provider=scripted", "OPENAI_API_KEY=unused-offline"})
class ResearcherTest {

    @TestConfiguration
    static class OfflineModel {

        @Bean   // any LlmClient bean is a provider, under its bean name
        ScriptedLlmClient scripted() {
            return ScriptedLlmClient.builder()
                    .when(lastMessageIsToolResult("save_note"), ScriptedTurn.text("Noted."))
                    .when(lastMessageIsToolResult("search_documents"),
                            ScriptedTurn.toolCall("save_note", "{\"note\":\"budgets are reserved first\"}"))
                    .otherwise(ScriptedTurn.toolCall("search_documents", "{\"query\":\"budgets\"}"))
                    .build();
        }
    }

    @Autowired
    Researcher researcher;

    @Autowired
    ScriptedLlmClient model;

    @Autowired
    ResearchTools tools;

    @Test
    void researchSearchesThenKeepsANote() {
        assertThat(researcher.research("budgets", "run-1")).isEqualTo("Noted.");

        assertThat(tools.notes()).containsExactly("budgets are reserved first");
        assertThat(model.requests()).hasSize(3);              // search, save, answer
        LlmRequest first = model.requests().get(0);
        assertThat(first.messages().get(0).content()).isEqualTo("You research topics and keep notes.");
        assertThat(first.messages().get(1).content()).isEqualTo("Research budgets");
        assertThat(first.tools()).extracting(ToolSpec::name).containsExactlyInAnyOrder("search_documents", "save_note");
    }
}
// end::offline-test[]
