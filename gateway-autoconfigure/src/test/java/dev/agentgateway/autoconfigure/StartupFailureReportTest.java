package dev.agentgateway.autoconfigure;

import dev.agentgateway.fixtures.empty.EmptyApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user sees when the YAML is wrong: Spring Boot's failure report names the property. For a value
 * Bean Validation refuses, Boot 4 prints the name as the field path (camelCase, map keys in brackets) and
 * the converted value, without the origin; these tests pin what it really prints.
 */
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

    @Test
    void negativeToolTimeoutIsReportedWithItsPropertyNameNotABuilderMessage(CapturedOutput output) {
        assertThatThrownBy(() -> run("--agent-gateway.tool-execution.timeout=-5s")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START").contains("Property: agent-gateway.toolExecution.timeout")
                .contains("Value: \"PT-5S\"").contains("Reason: must be a positive duration")
                .doesNotContain("IllegalArgumentException");
    }

    @Test
    void zeroProviderTimeoutInAMapEntryIsReportedWithItsPropertyName(CapturedOutput output) {
        assertThatThrownBy(() -> run("--agent-gateway.providers.local.type=openai-compatible",
                "--agent-gateway.providers.local.timeout=0s")).isNotNull();
        assertThat(output).contains("Property: agent-gateway.providers[local].timeout").contains("Value: \"PT0S\"")
                .contains("Reason: must be a positive duration");
    }

    @Test
    void aRateLimitOfZeroIsReportedWithItsPropertyName(CapturedOutput output) {
        assertThatThrownBy(() -> run("--agent-gateway.tools.search.rate-limit.limit-for-period=0")).isNotNull();
        assertThat(output).contains("Property: agent-gateway.tools[search].rateLimit.limitForPeriod")
                .contains("Reason: must be greater than or equal to 1");
    }

    @Test
    void aWarningThresholdOfZeroIsReportedWithItsPropertyName(CapturedOutput output) {
        assertThatThrownBy(() -> run("--agent-gateway.limits.warning-threshold=0")).isNotNull();
        assertThat(output).contains("Property: agent-gateway.limits.warningThreshold").contains("Reason: must be greater than 0");
    }

    @Test
    void aLoopWindowTooSmallForThePingPongIsReportedWithBothPropertyNames(CapturedOutput output) {
        assertThatThrownBy(() -> run("--agent-gateway.loop-detection.window-size=6",
                "--agent-gateway.loop-detection.max-ping-pong=4")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START").contains("window-size must be at least twice max-ping-pong")
                .doesNotContain("IllegalArgumentException");
    }

    @Test
    void aMisspeltKeyIsReportedWithTheKeyItsOriginAndTheLikelyOne(CapturedOutput output) {
        assertThatThrownBy(() -> run("--agent-gateway.limts.max-budget=0.01")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("agent-gateway.limts.max-budget (from \"agent-gateway.limts.max-budget\" from property source \"commandLineArgs\")")
                .contains("did you mean agent-gateway.limits?");
    }

    @Test
    void aMisspeltDefaultProviderIsReportedListingTheKnownOnes(CapturedOutput output) {
        assertThatThrownBy(() -> run("--agent-gateway.default-provider=opneai")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START").contains("names the provider 'opneai'")
                .contains("Name one of the providers this application has: mock");
    }

    private static void run(String... args) {
        SpringApplication application = new SpringApplication(EmptyApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args);
    }

}
