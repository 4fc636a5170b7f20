package dev.agentgateway.autoconfigure.agent;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.spring.agent.UnresolvedTenantException;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.fixtures.tenants.TenantsApplication;
import dev.agentgateway.fixtures.tenants.Teller;
import dev.agentgateway.fixtures.tenants.Cashier;
import dev.agentgateway.autoconfigure.chatclient.ChatClientAutoConfiguration;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tenant of an agent's call from configuration: the principal, a request header; the code's tenant wins.
 * The same for @Agent interfaces, @Agent classes and ChatClient calls through the GatewayAdvisor.
 */
class TenantResolutionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class,
                    ChatClientAutoConfiguration.class, org.springframework.boot.autoconfigure.aop.AopAutoConfiguration.class))
            .withUserConfiguration(TenantsApplication.class);

    /** A ChatModel that answers "ok", counting its calls. */
    static final class OkModel implements ChatModel {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChatResponse call(Prompt prompt) {
            calls.incrementAndGet();
            ChatResponseMetadata metadata = ChatResponseMetadata.builder().model("gpt-4o-mini").usage(new DefaultUsage(5, 1)).build();
            return new ChatResponse(List.of(new Generation(new AssistantMessage("ok"))), metadata);
        }
    }

    private static String chat(AssertableApplicationContext context, OkModel model) {
        ChatClient client = ChatClient.builder(model).defaultAdvisors(context.getBean(GatewayAdvisor.class)).build();
        return new GatewayContext("assistant", null, null).call(() -> client.prompt().user("balance?").call().content());
    }

    // ---- @Agent classes ---------------------------------------------------------------------

    @Test
    void theRequestHeaderNamesTheTenantOfAnAgentClassesCalls() {
        header("X-Tenant-Id", "acme");
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            context.getBean(Cashier.class).ask("balance?");
            assertThat(context.getBean(Gateway.class).getCallHistory("cashier", null))
                    .singleElement().extracting(CallRecord::tenant).isEqualTo("acme");
        });
    }

    @Test
    void thePrincipalNamesTheTenantOfAnAgentClassesCalls() {
        signIn("globex");
        runner.withPropertyValues("agent-gateway.tenant.from-principal=true").run(context -> {
            context.getBean(Cashier.class).ask("balance?");
            assertThat(context.getBean(Gateway.class).getCallHistory("cashier", null))
                    .singleElement().extracting(CallRecord::tenant).isEqualTo("globex");
        });
    }

    @Test
    void aTenantInTheGatewayContextWinsForAnAgentClass() {
        header("X-Tenant-Id", "acme");
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            new GatewayContext(null, null, "initech").run(() -> context.getBean(Cashier.class).ask("balance?"));
            assertThat(context.getBean(Gateway.class).getCallHistory("cashier", null))
                    .singleElement().extracting(CallRecord::tenant).isEqualTo("initech");
        });
    }

    @Test
    void anAgentClassCalledWithoutTheRequiredTenantIsRefusedBeforeTheModel() {
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            assertThatThrownBy(() -> context.getBean(Cashier.class).ask("balance?"))
                    .isInstanceOf(UnresolvedTenantException.class)
                    .hasMessageContaining("agent-gateway.tenant.from-header (no 'X-Tenant-Id' header on this request)");
            assertThat(context.getBean(ScriptedLlmClient.class).requestCount()).isZero();
        });
    }

    // ---- GatewayAdvisor ---------------------------------------------------------------------

    @Test
    void theRequestHeaderNamesTheTenantOfAChatClientCall() {
        header("X-Tenant-Id", "acme");
        OkModel model = new OkModel();
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            assertThat(chat(context, model)).isEqualTo("ok");
            assertThat(context.getBean(Gateway.class).getCallHistory("assistant", null))
                    .singleElement().extracting(CallRecord::tenant).isEqualTo("acme");
        });
    }

    @Test
    void thePrincipalNamesTheTenantOfAChatClientCall() {
        signIn("globex");
        OkModel model = new OkModel();
        runner.withPropertyValues("agent-gateway.tenant.from-principal=true").run(context -> {
            chat(context, model);
            assertThat(context.getBean(Gateway.class).getCallHistory("assistant", null))
                    .singleElement().extracting(CallRecord::tenant).isEqualTo("globex");
        });
    }

    @Test
    void aChatClientCallWithoutTheRequiredTenantIsRefusedBeforeTheModel() {
        OkModel model = new OkModel();
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            assertThatThrownBy(() -> chat(context, model))
                    .isInstanceOf(UnresolvedTenantException.class)
                    .hasMessageContaining("agent-gateway.tenant.from-header");
            assertThat(model.calls).hasValue(0);
        });
    }

    // ---- @Agent interfaces ------------------------------------------------------------------

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void theRequestHeaderNamesTheTenantOfTheCall() {
        header("X-Tenant-Id", "acme");
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            context.getBean(Teller.class).ask("balance?");
            assertThat(tenants(context.getBean(Gateway.class))).containsExactly("acme");
        });
    }

    @Test
    void theAuthenticatedPrincipalWinsOverTheHeader() {
        header("X-Tenant-Id", "spoofed");
        signIn("globex");
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id", "agent-gateway.tenant.from-principal=true")
                .run(context -> {
                    context.getBean(Teller.class).ask("balance?");
                    assertThat(tenants(context.getBean(Gateway.class))).containsExactly("globex");
                });
    }

    @Test
    void aTenantArgumentWinsOverTheConfiguredSources() {
        header("X-Tenant-Id", "acme");
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            context.getBean(Teller.class).ask("balance?", "initech");
            assertThat(tenants(context.getBean(Gateway.class))).containsExactly("initech");
        });
    }

    @Test
    void aCallWithoutTheConfiguredSourcesIsRefusedBeforeTheModel() {
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id").run(context -> {
            assertThatThrownBy(() -> context.getBean(Teller.class).ask("balance?"))
                    .isInstanceOf(UnresolvedTenantException.class)
                    .hasMessageContaining("agent-gateway.tenant.from-header (no 'X-Tenant-Id' header on this request)")
                    .hasMessageContaining("agent-gateway.tenant.required=false");
            assertThat(context.getBean(ScriptedLlmClient.class).requestCount()).isZero();
        });
    }

    @Test
    void withTenantsNotRequiredACallWithoutOneRunsWithoutATenant() {
        runner.withPropertyValues("agent-gateway.tenant.from-header=X-Tenant-Id", "agent-gateway.tenant.required=false")
                .run(context -> {
                    context.getBean(Teller.class).ask("balance?");
                    assertThat(context.getBean(Gateway.class).getCallHistory("teller", null))
                            .singleElement().extracting(CallRecord::tenant).isNull();
                });
    }

    @Test
    void withoutConfigurationNoTenantIsResolved() {
        header("X-Tenant-Id", "acme");
        runner.run(context -> {
            context.getBean(Teller.class).ask("balance?");
            assertThat(context.getBean(Gateway.class).getCallHistory("teller", null))
                    .singleElement().extracting(CallRecord::tenant).isNull();
        });
    }

    private static List<String> tenants(Gateway gateway) {
        return gateway.getCallHistory("teller", null).stream().map(CallRecord::tenant).toList();
    }

    private static void header(String name, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(name, value);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    private static void signIn(String name) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(name, null, List.of()));
    }
}
