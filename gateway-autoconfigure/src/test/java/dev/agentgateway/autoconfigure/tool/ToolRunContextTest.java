package dev.agentgateway.autoconfigure.tool;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.provider.ProviderClientsAutoConfiguration;
import dev.agentgateway.fixtures.runcontext.Concierge;
import dev.agentgateway.fixtures.runcontext.RunContextApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tool can take the run's identity (agent, workflow id, tenant, principal) as a parameter; the
 * model never sees it: not in the tool's schema, not in any request the provider receives.
 */
class ToolRunContextTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static WireMockServer wireMock;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class,
                    ProviderClientsAutoConfiguration.class))
            .withUserConfiguration(RunContextApplication.class)
            .withPropertyValues("agent-gateway.providers.openai.api-key=sk-test-0123456789abcdef",
                    "agent-gateway.providers.openai.base-url=http://127.0.0.1:" + wireMock.port() + "/v1",
                    "agent-gateway.tenant.from-header=X-Tenant-Id");

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wireMock.start();
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    @AfterEach
    void clear() {
        wireMock.resetAll();
        SecurityContextHolder.clearContext();
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void aToolMethodAndAToolCallbackReceiveTheRunsAgentWorkflowTenantAndPrincipal() {
        runAsAliceOfAcme(context -> {
            RunContextApplication.Seen seen = context.getBean(RunContextApplication.Seen.class);
            assertThat(seen.byMethod.get()).isNotNull();
            assertThat(seen.byMethod.get().agentId()).isEqualTo("concierge");
            assertThat(seen.byMethod.get().workflowId()).isEqualTo("dinner-7");
            assertThat(seen.byMethod.get().tenant()).isEqualTo("acme");
            assertThat(seen.byMethod.get().principalName()).isEqualTo("alice");
            assertThat(seen.byCallback.get()).isEqualTo(seen.byMethod.get());
        });
    }

    @Test
    void theRunContextParameterIsNotInTheToolSchemaTheProviderReceives() {
        runAsAliceOfAcme(context -> {
            JsonNode tools = bodies().get(0).path("tools");
            JsonNode bookTable = null;
            for (JsonNode tool : tools) {
                if ("book_table".equals(tool.path("function").path("name").asString())) {
                    bookTable = tool.path("function").path("parameters");
                }
            }
            assertThat(bookTable).as("book_table offered").isNotNull();
            assertThat(bookTable.path("properties").propertyNames()).containsExactly("restaurant");
            assertThat(bookTable.path("required").values()).extracting(JsonNode::asString).containsExactly("restaurant");
        });
    }

    @Test
    void noRequestTheProviderReceivesCarriesThePrincipalOrTheTenant() {
        runAsAliceOfAcme(context -> {
            List<String> raw = events().stream().map(event -> event.getRequest().getBodyAsString()).toList();
            assertThat(raw).hasSize(2).allSatisfy(body -> assertThat(body)
                    .doesNotContain("alice").doesNotContain("acme").doesNotContain("ToolRunContext")
                    .doesNotContain("toolRunContext").doesNotContain("principal"));
        });
    }

    private void runAsAliceOfAcme(org.springframework.boot.test.context.runner.ContextConsumer<
            org.springframework.boot.test.context.assertj.AssertableApplicationContext> assertions) {
        stubTwoTurns();
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("X-Tenant-Id", "acme");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        SecurityContextHolder.getContext().setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated("alice", "alices-password", List.of()));
        runner.run(context -> {
            assertThat(context.getBean(Concierge.class).ask("Dinner for two at Noma, then a taxi", "dinner-7"))
                    .isEqualTo("Hello! How can I assist you today?");
            assertions.accept(context);
        });
    }

    private static void stubTwoTurns() {
        String toolCalls = """
                {"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[
                   {"id":"call_book","type":"function","function":{"name":"book_table","arguments":"{\\"restaurant\\":\\"Noma\\"}"}},
                   {"id":"call_taxi","type":"function","function":{"name":"reserve_taxi","arguments":"{\\"time\\":\\"23:00\\"}"}}]},
                   "logprobs":null,"finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":90,"completion_tokens":15,"total_tokens":105}}""";
        String answer = """
                {"id":"chatcmpl-2","object":"chat.completion","created":1741569953,"model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null},
                   "logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":120,"completion_tokens":9,"total_tokens":129}}""";
        wireMock.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("run").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(toolCalls)).willSetStateTo("answer"));
        wireMock.stubFor(post(urlEqualTo("/v1/chat/completions")).inScenario("run").whenScenarioStateIs("answer")
                .willReturn(json(answer)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static List<ServeEvent> events() {
        return wireMock.getAllServeEvents().stream()
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate())).toList();
    }

    private static List<JsonNode> bodies() {
        return events().stream().map(event -> JSON.readTree(event.getRequest().getBodyAsString())).toList();
    }
}
