package dev.agentgateway.autoconfigure.actuate;

import dev.agentgateway.spring.actuate.EndpointSanitizer;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayCall;
import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.LlmClientFactory;
import dev.agentgateway.core.provider.LlmResponse;
import dev.agentgateway.core.provider.ProviderServerException;
import dev.agentgateway.core.provider.ToolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No configured API key may appear in any endpoint's output, in the log, or in an exception the
 * gateway throws. Two keys are configured: one for the OpenAI module (on this classpath; its server
 * is a closed local port, so calls fail fast) and one for a custom provider whose factory receives
 * it. Every exposed endpoint is read, the templated ones with real values, after successful, failed,
 * refused and tool-calling calls and after the write operations; the whole log of the context
 * (start-up included, at DEBUG for the gateway) is scanned too.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = {ActuatorTestApplication.class, ApiKeyLeakTest.SecretProvider.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "management.endpoints.web.exposure.include=*",
                "management.endpoint.health.show-details=always",
                "agent-gateway.actuator.write-enabled=true",
                "agent-gateway.checkpoint.enabled=true",
                "agent-gateway.limits.max-steps=50",
                "agent-gateway.resilience.retry.max-attempts=1",
                "agent-gateway.providers.openai.api-key=" + ApiKeyLeakTest.OPENAI_KEY,
                "agent-gateway.providers.openai.base-url=http://127.0.0.1:9/v1",
                "agent-gateway.providers.openai.model=gpt-4o-mini",
                "agent-gateway.providers.openai.timeout=5s",
                "agent-gateway.providers.secretco.api-key=" + ApiKeyLeakTest.CUSTOM_KEY,
                "logging.level.dev.agentgateway=DEBUG",
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
        })
class ApiKeyLeakTest {

    static final String OPENAI_KEY = "sk-proj-LeakCheck0123456789abcdefXYZ";
    /** Not shaped like any known key: only masking by value can catch it. */
    static final String CUSTOM_KEY = "custom-SECRET-value-8842-qq";

    private static final List<String> SECRETS = List.of(OPENAI_KEY, CUSTOM_KEY, "LeakCheck0123456789", "SECRET-value-8842");

    @LocalServerPort
    int port;

    @Autowired
    Gateway gateway;

    @Autowired
    SecretProvider provider;

    @Test
    void noEndpointLogLineOrExceptionShowsAnApiKey(CapturedOutput output) {
        assertThat(provider.receivedKey.get()).as("the custom provider was configured with its key").isEqualTo(CUSTOM_KEY);
        Http http = new Http(port);
        List<Throwable> exceptions = new ArrayList<>();

        gateway.call(GatewayCall.builder().agentId("alpha").provider("secretco").model("s-1").tenant("acme")
                .workflowId("wf-leak").user("hello").build());
        gateway.callWithTools(GatewayCall.builder().agentId("researcher").provider("scripted").model("script-1")
                .workflowId("wf-tools").user("look").tool(ToolSpec.of("lookup", "Looks up", Map.of("type", "object"))).build(),
                (tool, arguments) -> "found");
        exceptions.add(thrown(() -> gateway.call(GatewayCall.builder().agentId("alpha").provider("secretco").model("s-1")
                .user("please fail").build())));
        exceptions.add(thrown(() -> gateway.call(GatewayCall.builder().agentId("alpha").provider("openai").model("gpt-4o-mini")
                .user("hello").build())));
        http.post("/actuator/agentgateway/beta/pause");
        exceptions.add(thrown(() -> gateway.call(GatewayCall.builder().agentId("beta").provider("secretco").model("s-1")
                .user("hi").build())));
        http.post("/actuator/agentgateway/stop");
        exceptions.add(thrown(() -> gateway.call(GatewayCall.builder().agentId("alpha").provider("secretco").model("s-1")
                .user("hi").build())));
        http.post("/actuator/agentgateway/resume");
        http.post("/actuator/agentgateway/limits", "{\"maxSteps\": 1}");
        exceptions.add(thrown(() -> gateway.call(GatewayCall.builder().agentId("alpha").provider("secretco").model("s-1")
                .user("hi").build())));
        http.post("/actuator/agentgateway/limits", "{\"maxSteps\": 50}");
        exceptions.add(thrown(() -> gateway.call(GatewayCall.builder().agentId("alpha").provider("nowhere").model("x")
                .user("hi").build())));
        // A provider that echoes its key into its own error: the endpoints must still not show it.
        Throwable leaked = thrown(() -> gateway.call(GatewayCall.builder().agentId("alpha").provider("secretco").model("s-1")
                .user("please leak").build()));
        assertThat(leaked).isNotNull();

        Map<String, Http.Response> responses = readEveryEndpoint(http);

        assertThat(responses).containsKeys("/actuator/agentgateway", "/actuator/agentcalls", "/actuator/agentcheckpoints",
                "/actuator/health", "/actuator/env", "/actuator/configprops", "/actuator/beans");
        assertThat(responses.keySet()).anyMatch(path -> path.startsWith("/actuator/agentcalls/"));
        assertThat(responses.keySet()).anyMatch(path -> path.matches("/actuator/agentcheckpoints/wf-tools/\\d+"));
        responses.forEach((path, response) -> {
            assertThat(response.status()).as(path).isLessThan(500);
            for (String secret : SECRETS) {
                assertThat(response.body()).as("GET " + path).doesNotContain(secret);
            }
        });
        assertThat(responses.get("/actuator/agentcalls").body()).as("the leaked key is masked in the recorded error")
                .contains("upstream rejected key " + EndpointSanitizer.MASK);
        assertThat(exceptions).hasSize(6).doesNotContainNull();
        for (Throwable exception : exceptions) {
            for (Throwable t = exception; t != null; t = t.getCause()) {
                for (String secret : SECRETS) {
                    assertThat(String.valueOf(t.getMessage())).as(exception.toString()).doesNotContain(secret);
                    assertThat(t.toString()).doesNotContain(secret);
                }
            }
        }
        for (String secret : SECRETS) {
            assertThat(output.getAll()).as("the log").doesNotContain(secret);
        }
    }

    private Map<String, Http.Response> readEveryEndpoint(Http http) {
        Map<String, Http.Response> responses = new LinkedHashMap<>();
        JsonNode links = http.get("/actuator").json().get("_links");
        for (Map.Entry<String, JsonNode> link : links.properties()) {
            boolean templated = link.getValue().path("templated").asBoolean(false);
            String href = link.getValue().get("href").asString();
            String path = href.substring(href.indexOf("/actuator"));
            if (!templated && !link.getKey().equals("heapdump")) {
                responses.put(path, http.get(path));
            }
        }
        JsonNode calls = responses.get("/actuator/agentcalls").json().get("calls");
        calls.forEach(call -> {
            String path = "/actuator/agentcalls/" + call.get("callId").asString();
            responses.put(path, http.get(path));
        });
        for (String workflow : List.of("wf-leak", "wf-tools")) {
            String path = "/actuator/agentcheckpoints/" + workflow;
            Http.Response response = http.get(path);
            responses.put(path, response);
            if (response.status() == 200) {
                response.json().get("checkpoints").forEach(checkpoint -> {
                    String step = path + "/" + checkpoint.get("step").asInt();
                    responses.put(step, http.get(step));
                });
            }
        }
        for (String path : List.of("/actuator/agentgateway/alpha", "/actuator/agentgateway/beta",
                "/actuator/env/agent-gateway.providers.secretco.api-key", "/actuator/env/agent-gateway.providers.openai.api-key",
                "/actuator/configprops/agent-gateway", "/actuator/health/agentGateway")) {
            responses.put(path, http.get(path));
        }
        if (responses.containsKey("/actuator/metrics")) {
            responses.get("/actuator/metrics").json().get("names").forEach(name -> {
                String path = "/actuator/metrics/" + name.asString();
                responses.put(path, http.get(path));
            });
        }
        return responses;
    }

    private static Throwable thrown(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        return null;
    }

    /** A provider of its own: the factory receives the configured key. */
    @Configuration(proxyBeanMethods = false)
    static class SecretProvider {

        final AtomicReference<String> receivedKey = new AtomicReference<>();

        @Bean
        LlmClientFactory secretcoFactory() {
            return new LlmClientFactory() {
                @Override
                public String providerId() {
                    return "secretco";
                }

                @Override
                public LlmClient create(String apiKey, Map<String, ?> options) {
                    receivedKey.set(apiKey);
                    return request -> {
                        String prompt = request.lastUserMessage();
                        if (prompt.contains("leak")) {
                            throw new IllegalStateException("upstream rejected key " + apiKey);
                        }
                        if (prompt.contains("fail")) {
                            throw new ProviderServerException("secretco", 503, "secretco is unavailable", null);
                        }
                        return new LlmResponse("hello from secretco " + prompt.length(), List.of(), 10, 5, null,
                                request.model(), "secretco", 1, "stop");
                    };
                }
            };
        }
    }
}
