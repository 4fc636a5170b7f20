package com.example.research;

import dev.agentgateway.autoconfigure.AgentGatewayProperties;
import dev.agentgateway.spring.tool.ToolRegistry;
import dev.agentgateway.core.Gateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The tool snippets of docs/concepts.md start the application as written. */
@SpringBootTest(properties = {"spring.config.import=classpath:tools.yml", "OPENAI_API_KEY=unused-offline"})
class ToolSnippetsTest {

    @Autowired
    ToolRegistry tools;

    @Autowired
    Gateway gateway;

    @Autowired
    AgentGatewayProperties properties;

    @Test
    void theToolCallbackBeanIsAGatewayToolPermittedByItsRule() {
        assertThat(tools.find("exchange_rate")).isPresent();
        assertThat(gateway.toolAccess().isPermitted("researcher", "exchange_rate")).isTrue();
        assertThat(gateway.toolAccess().isPermitted("researcher", "github_search_code")).isTrue();
        assertThat(gateway.toolAccess().isPermitted("researcher", "github_delete_repository")).isFalse();
    }

    @Test
    void theRunContextParameterIsNotPartOfTheToolsSchema() {
        assertThat(tools.find("save_private_note")).hasValueSatisfying(tool ->
                assertThat(tool.spec().requiredParameters()).containsExactly("note"));
    }

    @Test
    void theToolLimitsAreBoundAsWritten() {
        assertThat(properties.getTools().get("web_search").getMaxCallsPerRun()).isEqualTo(5);
        assertThat(properties.getTools().get("github_*").getMaxCallsPerAgent()).isEqualTo(200);
        assertThat(properties.getTools().get("job_status").isExemptFromSteps()).isTrue();
        assertThat(properties.getToolExecution().getMaxResultSize()).isEqualTo(20_000);
    }

    @Test
    void theTenantSourcesAreBoundAsWritten() {
        assertThat(properties.getTenant().isFromPrincipal()).isTrue();
        assertThat(properties.getTenant().getFromHeader()).isEqualTo("X-Tenant-Id");
    }
}
