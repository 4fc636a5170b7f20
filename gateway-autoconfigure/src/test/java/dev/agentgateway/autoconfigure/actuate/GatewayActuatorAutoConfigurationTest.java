package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.actuate.AgentApprovalsControlEndpoint;
import dev.agentgateway.spring.actuate.AgentApprovalsEndpoint;
import dev.agentgateway.spring.actuate.AgentCallsEndpoint;
import dev.agentgateway.spring.actuate.AgentCheckpointsEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayControlEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayEndpoint;
import dev.agentgateway.spring.actuate.AgentGatewayHealthIndicator;
import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.spring.actuate.ProviderCircuitStates;
import dev.agentgateway.autoconfigure.GatewayAutoConfiguration;
import dev.agentgateway.autoconfigure.approval.ApprovalAutoConfiguration;
import dev.agentgateway.spring.actuate.metrics.GatewayMeterNames;
import dev.agentgateway.spring.actuate.metrics.GatewayMetricsListener;
import dev.agentgateway.spring.actuate.metrics.GatewayStateMeterBinder;
import dev.agentgateway.spring.actuate.metrics.HistoryQueueMeterBinder;
import dev.agentgateway.spring.actuate.observation.GatewayObservations;
import dev.agentgateway.autoconfigure.provider.resilience.ResilienceAutoConfiguration;
import dev.agentgateway.core.Gateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Which beans the actuator auto-configurations contribute, and when they back off. */
class GatewayActuatorAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, ApprovalAutoConfiguration.class,
                    GatewayObservabilityAutoConfiguration.class, GatewayActuatorAutoConfiguration.class));

    @Test
    void endpointsExistOnlyWhenTheApplicationExposesThem() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Gateway.class)
                    .doesNotHaveBean(AgentGatewayEndpoint.class)
                    .doesNotHaveBean(AgentCallsEndpoint.class)
                    .doesNotHaveBean(AgentCheckpointsEndpoint.class)
                    .hasSingleBean(AgentGatewayHealthIndicator.class);
        });
        runner.withPropertyValues("management.endpoints.web.exposure.include=agentcalls").run(context -> {
            assertThat(context).hasSingleBean(AgentCallsEndpoint.class)
                    .doesNotHaveBean(AgentGatewayEndpoint.class)
                    .doesNotHaveBean(AgentCheckpointsEndpoint.class);
        });
    }

    @Test
    void writeOperationsNeedTheirOwnSwitch() {
        WebApplicationContextRunner exposed = runner.withPropertyValues(
                "management.endpoints.web.exposure.include=agentgateway,agentcalls,agentcheckpoints");
        exposed.run(context -> {
            assertThat(context).hasSingleBean(AgentGatewayEndpoint.class).hasSingleBean(AgentCallsEndpoint.class)
                    .hasSingleBean(AgentCheckpointsEndpoint.class).doesNotHaveBean(AgentGatewayControlEndpoint.class);
            assertThat(context.getBean(AgentGatewayEndpoint.class).gateway()).containsEntry("writeEnabled", false);
        });
        exposed.withPropertyValues("agent-gateway.actuator.write-enabled=true").run(context -> {
            assertThat(context).hasSingleBean(AgentGatewayControlEndpoint.class);
            assertThat(context.getBean(AgentGatewayEndpoint.class)).isInstanceOf(AgentGatewayControlEndpoint.class);
        });
        exposed.withPropertyValues("management.endpoint.agentgateway.access=NONE").run(context ->
                assertThat(context).doesNotHaveBean(AgentGatewayEndpoint.class));
    }

    @Test
    void approvalDecisionsNeedTheWriteSwitchAndActuatorsAccess() {
        WebApplicationContextRunner exposed = runner.withPropertyValues("management.endpoints.web.exposure.include=agentapprovals");
        exposed.run(context -> assertThat(context).hasSingleBean(AgentApprovalsEndpoint.class)
                .doesNotHaveBean(AgentApprovalsControlEndpoint.class));
        exposed.withPropertyValues("agent-gateway.actuator.write-enabled=true").run(context ->
                assertThat(context.getBean(AgentApprovalsEndpoint.class)).isInstanceOf(AgentApprovalsControlEndpoint.class));
        exposed.withPropertyValues("management.endpoint.agentapprovals.access=NONE").run(context ->
                assertThat(context).doesNotHaveBean(AgentApprovalsEndpoint.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(AgentApprovalsEndpoint.class));
    }

    @Test
    void metersAreRecordedWhenAMeterRegistryExists() {
        runner.run(context -> assertThat(context).doesNotHaveBean(GatewayMetricsListener.class)
                .doesNotHaveBean(GatewayStateMeterBinder.class));
        runner.withBean(SimpleMeterRegistry.class).run(context -> {
            assertThat(context).hasSingleBean(GatewayMetricsListener.class).hasSingleBean(GatewayStateMeterBinder.class)
                    .hasSingleBean(HistoryQueueMeterBinder.class);
            context.getBean(Gateway.class).call("alpha", "mock", "mock-model", "hi");
            assertThat(context.getBean(MeterRegistry.class).get(GatewayMeterNames.OPERATION_DURATION)
                    .tags("gen_ai.provider.name", "mock").timer().count()).as("the listener is wired into the gateway")
                    .isEqualTo(1);
        });
        runner.withBean(SimpleMeterRegistry.class).withPropertyValues("agent-gateway.actuator.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(GatewayMetricsListener.class)
                        .doesNotHaveBean(GatewayStateMeterBinder.class));
    }

    @Test
    void observationsAreMadeWhenAnObservationRegistryExists() {
        runner.run(context -> assertThat(context).doesNotHaveBean(GatewayObservations.class));
        runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create).run(context -> {
            assertThat(context).hasSingleBean(GatewayObservations.class);
            context.getBean(Gateway.class).call("alpha", "mock", "mock-model", "hi");
            TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                    .hasObservationWithNameEqualTo(GatewayObservations.CALL).that().hasBeenStopped();
        });
        runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("agent-gateway.actuator.observations.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(GatewayObservations.class);
                    context.getBean(Gateway.class).call("alpha", "mock", "mock-model", "hi");
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                            .doesNotHaveAnyObservation();
                });
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.agentgateway.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AgentGatewayHealthIndicator.class));
    }

    @Test
    void circuitStatesAreShownWhenTheResilienceStrategyIsUsed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ProviderCircuitStates.class));
        runner.withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=agentgateway").run(context -> {
                    assertThat(context).hasSingleBean(ProviderCircuitStates.class);
                    context.getBean(Gateway.class).call("alpha", "mock", "mock-model", "hi");
                    assertThat(context.getBean(ProviderCircuitStates.class).circuitStates().get("mock"))
                            .containsEntry("state", "CLOSED");
                });
    }

    @Test
    void nothingIsContributedWhenTheGatewayIsDisabled() {
        runner.withBean(SimpleMeterRegistry.class)
                .withPropertyValues("agent-gateway.enabled=false", "management.endpoints.web.exposure.include=*")
                .run(context -> assertThat(context).doesNotHaveBean(Gateway.class)
                        .doesNotHaveBean(AgentGatewayEndpoint.class)
                        .doesNotHaveBean(AgentCallsEndpoint.class)
                        .doesNotHaveBean(AgentGatewayHealthIndicator.class)
                        .doesNotHaveBean(GatewayMetricsListener.class)
                        .doesNotHaveBean(EndpointSanitizer.class));
    }

    @Test
    void theGatewayRunsWithoutActuatorHealthOrMicrometer() {
        // hides the classes and their class files, as when the jars are not on the class path
        Predicate<String> absent = name -> Stream.of("org.springframework.boot.actuate", "org.springframework.boot.health",
                "io.micrometer").anyMatch(prefix -> name.startsWith(prefix) || name.startsWith(prefix.replace('.', '/')));
        runner.withClassLoader(new FilteredClassLoader(absent))
                .withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Gateway.class)
                            .doesNotHaveBean("agentGatewayEndpoint")
                            .doesNotHaveBean("agentCallsEndpoint")
                            .doesNotHaveBean("agentGatewayHealthIndicator")
                            .doesNotHaveBean("gatewayMetricsListener")
                            .doesNotHaveBean("gatewayObservations");
                    assertThat(context.getBean(Gateway.class).call("alpha", "mock", "mock-model", "hi").content()).isNotNull();
                });
    }
}
