package dev.agentgateway.autoconfigure;

import dev.agentgateway.spring.GatewayBuilderCustomizer;
import dev.agentgateway.autoconfigure.agent.AgentAutoConfiguration;
import dev.agentgateway.autoconfigure.chatclient.ChatClientAutoConfiguration;
import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.spring.tool.Tool;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallHistoryStore;
import dev.agentgateway.core.history.InMemoryCallHistoryStore;
import dev.agentgateway.core.limits.StepLimitExceededException;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderNotFoundException;
import dev.agentgateway.core.tools.ToolAccessController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class GatewayAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GatewayAutoConfiguration.class, AgentAutoConfiguration.class,
                    ChatClientAutoConfiguration.class));

    @Test
    void createsOneGatewayWithTheMockProviderByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Gateway.class);
            Gateway gateway = context.getBean(Gateway.class);
            assertThat(gateway.providerIds()).contains("mock");
            assertThat(gateway.call("agent", "mock", "mock-model", "hello").content()).isNotBlank();
        });
    }

    @Test
    void enabledFalseTurnsEverythingOff() {
        runner.withPropertyValues("agent-gateway.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Gateway.class);
            assertThat(context).doesNotHaveBean(ToolAccessController.class);
            assertThat(context).doesNotHaveBean(GatewayAdvisor.class);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnGateway() {
        runner.withUserConfiguration(OwnGateway.class).run(context -> {
            assertThat(context).hasSingleBean(Gateway.class);
            assertThat(context.getBean(Gateway.class)).isSameAs(context.getBean(OwnGateway.class).gateway);
        });
    }

    @Test
    void usesTheApplicationsOwnHistoryStore() {
        runner.withUserConfiguration(OwnHistory.class).run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            gateway.call("agent", "mock", "m", "hello");
            assertThat(context.getBean(OwnHistory.class).store.size()).isEqualTo(1);
        });
    }

    @Test
    void historyCapacityComesFromProperties() {
        runner.withPropertyValues("agent-gateway.history.capacity=5").run(context ->
                assertThat(((InMemoryCallHistoryStore) context.getBean(CallHistoryStore.class)).capacity()).isEqualTo(5));
    }

    @Test
    void stepLimitFromYamlRefusesTheThirdCall() {
        runner.withPropertyValues("agent-gateway.limits.max-steps=2").run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            gateway.call("agent", "mock", "m", "one");
            gateway.call("agent", "mock", "m", "two");
            assertThatThrownBy(() -> gateway.call("agent", "mock", "m", "three"))
                    .isInstanceOf(StepLimitExceededException.class);
        });
    }

    @Test
    void limitsOfEveryKindAreBound() {
        runner.withPropertyValues("agent-gateway.limits.max-budget=2.50", "agent-gateway.limits.max-time=10m",
                "agent-gateway.limits.per-agent-max-steps=7", "agent-gateway.limits.per-workflow-max-budget=0.25",
                "agent-gateway.limits.warning-threshold=0.9", "agent-gateway.agents.writer.max-steps=3",
                "agent-gateway.tenants.acme.max-budget=1.00").run(context -> {
            var limits = context.getBean(Gateway.class).getLimits();
            assertThat(limits.maxBudget()).isEqualByComparingTo("2.50");
            assertThat(limits.maxTimeSeconds()).isEqualTo(600.0);
            assertThat(limits.perAgent().maxSteps()).isEqualTo(7);
            assertThat(limits.perWorkflow().maxBudget()).isEqualByComparingTo("0.25");
            assertThat(limits.warningThreshold()).isEqualTo(0.9);
            assertThat(limits.agents().get("writer").maxSteps()).isEqualTo(3);
            assertThat(limits.tenants().get("acme").maxBudget()).isEqualByComparingTo(BigDecimal.ONE);
        });
    }

    @Test
    void negativeMaxStepsFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("agent-gateway.limits.max-steps=-1").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("agent-gateway")
                        .hasStackTraceContaining("limits.maxSteps").hasStackTraceContaining("rejected value [-1]"));
    }

    @Test
    void nonNumericBudgetFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("agent-gateway.limits.max-budget=lots").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("agent-gateway.limits.max-budget"));
    }

    @Test
    void warningThresholdAboveOneFailsStartUp() {
        runner.withPropertyValues("agent-gateway.limits.warning-threshold=1.5").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("limits.warningThreshold")
                        .hasStackTraceContaining("rejected value [1.5]"));
    }

    @Test
    void badDurationFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("agent-gateway.limits.max-time=soon").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("agent-gateway.limits.max-time"));
    }

    @Test
    void negativeAgentBudgetInAMapFailsStartUp() {
        runner.withPropertyValues("agent-gateway.agents.writer.max-budget=-5").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("agents[writer].maxBudget"));
    }

    @Test
    void unknownDefaultPolicyFailsStartUp() {
        runner.withPropertyValues("agent-gateway.tool-access.default-policy=maybe").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("agent-gateway.tool-access.default-policy"));
    }

    @Test
    void providerWithoutItsModuleFailsStartUpNamingTheModule() {
        runner.withPropertyValues("agent-gateway.providers.mistral.api-key=secret-key-123").run(context -> {
            assertThat(context).getFailure().rootCause().isInstanceOf(ProviderNotFoundException.class)
                    .hasMessageContaining("mistral");
            assertThat(context).getFailure().hasStackTraceContaining("registerProvider");
        });
    }

    @Test
    void llmClientBeansBecomeProvidersUnderTheirBeanName() {
        runner.withUserConfiguration(EchoClient.class).run(context -> {
            Gateway gateway = context.getBean(Gateway.class);
            assertThat(gateway.call("agent", "echo", "m", "ping").content()).isEqualTo("echo: ping");
        });
    }

    @Test
    void toolAccessRulesComeFromYaml() {
        runner.withPropertyValues("agent-gateway.tool-access.default-policy=deny",
                "agent-gateway.tool-access.rules[0].tool=web_*",
                "agent-gateway.tool-access.rules[0].allowed-agents=researcher").run(context -> {
            ToolAccessController access = context.getBean(ToolAccessController.class);
            assertThat(access.isPermitted("researcher", "web_search")).isTrue();
            assertThat(access.isPermitted("writer", "web_search")).isFalse();
            assertThat(access.isPermitted("researcher", "delete_all")).isFalse();
        });
    }

    @Test
    void pricingOverridesThePriceTable() {
        runner.withPropertyValues("agent-gateway.pricing.house-model.input-per-million=1",
                "agent-gateway.pricing.house-model.output-per-million=3").run(context -> {
            var price = context.getBean(Gateway.class).getPriceTable().find("house-model").orElseThrow();
            assertThat(price.outputPerMillion()).isEqualByComparingTo("3");
        });
    }

    @Test
    void pricingWithOnlyOnePriceFailsStartUp() {
        runner.withPropertyValues("agent-gateway.pricing.house-model.input-per-million=1").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("house-model").hasStackTraceContaining("outputPerMillion"));
    }

    @Test
    void duplicateToolNamesFailStartUpNamingBothMethods() {
        runner.withUserConfiguration(DuplicateTools.class).run(context ->
                assertThat(context).getFailure().hasRootCauseInstanceOf(dev.agentgateway.spring.tool.DuplicateToolNameException.class)
                        .hasStackTraceContaining("Two tools are named 'lookup': first.lookup and second.find."));
    }

    @Test
    void checkpointingIsOffByDefaultAndOnByProperty() {
        runner.run(context -> assertThat(context.getBean(Gateway.class).isCheckpointEnabled()).isFalse());
        runner.withPropertyValues("agent-gateway.checkpoint.enabled=true")
                .run(context -> assertThat(context.getBean(Gateway.class).isCheckpointEnabled()).isTrue());
    }

    @Test
    void anAgentLeftOnTheMockProviderIsWarnedAbout(CapturedOutput output) {
        runner.withUserConfiguration(SilentAgent.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("Agent 'silentAgent' names no provider and agent-gateway.default-provider is 'mock'");
        });
    }

    @Test
    void anAgentWithARealDefaultProviderIsNotWarnedAbout(CapturedOutput output) {
        runner.withUserConfiguration(SilentAgent.class, EchoClient.class)
                .withPropertyValues("agent-gateway.default-provider=echo")
                .run(context -> assertThat(output).doesNotContain("names no provider"));
    }

    @Test
    void builderCustomizersAreApplied() {
        runner.withUserConfiguration(Customized.class).run(context ->
                assertThat(context.getBean(Gateway.class).providerIds()).contains("custom"));
    }

    @Configuration(proxyBeanMethods = false)
    static class SilentAgent {
        @Bean
        SilentAgentBean silentAgent() {
            return new SilentAgentBean();
        }
    }

    @dev.agentgateway.spring.agent.Agent("silentAgent")
    static class SilentAgentBean {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnGateway {
        final Gateway gateway = Gateway.builder().build();

        @Bean
        Gateway myGateway() {
            return gateway;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHistory {
        final InMemoryCallHistoryStore store = new InMemoryCallHistoryStore(3);

        @Bean
        CallHistoryStore myHistory() {
            return store;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EchoClient {
        @Bean
        LlmClient echo() {
            return request -> LlmResponse.text("echo: " + request.lastUserMessage(), 1, 1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customized {
        @Bean
        GatewayBuilderCustomizer addCustom() {
            return builder -> builder.provider("custom", request -> LlmResponse.text("custom", 1, 1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateTools {
        @Bean
        First first() {
            return new First();
        }

        @Bean
        Second second() {
            return new Second();
        }
    }

    static class First {
        @Tool(description = "Looks something up")
        public String lookup(String key) {
            return key;
        }
    }

    static class Second {
        @Tool(name = "lookup", description = "Finds something")
        public List<String> find(Map<String, String> query) {
            return List.of();
        }
    }
}
