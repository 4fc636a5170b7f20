package dev.agentgateway.autoconfigure.agent;

import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.spring.agent.UnresolvedTenantException;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.fixtures.tenants.TenantsApplication;
import dev.agentgateway.fixtures.tenants.Teller;
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

/** The tenant of an agent's call from configuration: the principal, a request header; the code's tenant wins. */
class TenantResolutionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class))
            .withUserConfiguration(TenantsApplication.class);

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
