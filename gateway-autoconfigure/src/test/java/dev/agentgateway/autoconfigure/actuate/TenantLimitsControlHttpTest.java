package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.limits.ExecutionLimits;
import dev.agentgateway.core.limits.LimitScope;
import dev.agentgateway.core.limits.StepLimitExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code POST /actuator/agentgateway/tenants/{tenant}/limits}: a named tenant's limits changed live. */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=health,metrics,agentgateway,agentcalls,agentcheckpoints",
                "management.endpoint.health.show-details=always",
                "agent-gateway.actuator.write-enabled=true",
                "agent-gateway.limits.max-budget=1.00",
                "agent-gateway.limits.max-steps=100",
                "agent-gateway.tenants.small.max-steps=2",
                "agent-gateway.checkpoint.enabled=true",
                "agent-gateway.resilience.retry.max-attempts=1",
                "agent-gateway.loop-detection.enabled=false",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
class TenantLimitsControlHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    Http http;

    ExecutionLimits configured;

    @BeforeEach
    void freshGateway() {
        http = new Http(port);
        configured = gateway.getLimits();
        gateway.reset();
    }

    @AfterEach
    void restoreLimits() {
        gateway.updateLimits(configured);
        gateway.reset();
    }

    private void call(String tenant) {
        gateway.call(GatewayCall.builder().agentId("alpha").provider("priced").model("test-model").user("hi")
                .tenant(tenant).build());
    }

    @Test
    void aNamedTenantsStepLimitIsRaisedLive() {
        call("small");
        call("small");
        assertThatThrownBy(() -> call("small")).isInstanceOf(StepLimitExceededException.class);

        Http.Response updated = http.post("/actuator/agentgateway/tenants/small/limits", "{\"maxSteps\": 3}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("limits").get("tenants").get("small").get("maxSteps").asInt()).isEqualTo(3);
        call("small");
        assertThatThrownBy(() -> call("small")).isInstanceOf(StepLimitExceededException.class);
    }

    @Test
    void aTenantWithoutOwnLimitsGetsThemAndKeepsTheOtherLimit() {
        http.post("/actuator/agentgateway/tenants/acme/limits", "{\"maxBudget\": \"0.5\"}");
        JsonNode acme = http.post("/actuator/agentgateway/tenants/acme/limits", "{\"maxSteps\": 1}")
                .json().get("limits").get("tenants").get("acme");

        assertThat(acme.get("maxSteps").asInt()).isEqualTo(1);
        assertThat(acme.get("maxBudget").decimalValue()).isEqualByComparingTo("0.5");
        assertThat(gateway.getLimits().limitsFor(LimitScope.tenant("acme")).maxSteps()).isEqualTo(1);
        assertThat(gateway.getLimits().limitsFor(LimitScope.tenant("small")).maxSteps()).isEqualTo(2);
    }

    @Test
    void removingBothOfATenantsLimitsForgetsTheTenant() {
        http.post("/actuator/agentgateway/tenants/small/limits", "{\"maxSteps\": \"none\"}");

        assertThat(gateway.getLimits().tenants()).doesNotContainKey("small");
    }

    @Test
    void badTenantControlRequestsAreRejected() {
        assertThat(http.post("/actuator/agentgateway/tenants/small/limits").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/tenants/small/limits", "{\"maxSteps\": -1}").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/tenants/small/explode", "{\"maxSteps\": 1}").status()).isEqualTo(400);
        assertThat(http.post("/actuator/agentgateway/planets/small/limits", "{\"maxSteps\": 1}").status()).isEqualTo(400);
        assertThat(gateway.getLimits()).isEqualTo(configured);
    }
}
