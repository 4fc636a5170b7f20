package dev.agentgateway.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user sees when the YAML is wrong: Spring Boot's failure report names the property. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {

    @Test
    void outOfRangeValueIsReportedWithItsPropertyName(CapturedOutput output) {
        SpringApplication application = new SpringApplication(EmptyApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--agent-gateway.limits.max-steps=-3")).isNotNull();
        assertThat(output).containsAnyOf("Property: agent-gateway.limits.max-steps", "Property: agent-gateway.limits.maxSteps")
                .contains("Value: \"-3\"").contains("must be greater than or equal to 0");
    }

    @Test
    void unconvertibleValueIsReportedWithItsPropertyName(CapturedOutput output) {
        SpringApplication application = new SpringApplication(EmptyApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatThrownBy(() -> application.run("--agent-gateway.limits.max-budget=plenty")).isNotNull();
        assertThat(output).contains("Property: agent-gateway.limits.max-budget").contains("Value: \"plenty\"");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EmptyApplication {
    }
}
