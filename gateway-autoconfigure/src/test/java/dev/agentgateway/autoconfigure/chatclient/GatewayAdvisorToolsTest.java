package dev.agentgateway.autoconfigure.chatclient;

import dev.agentgateway.spring.chatclient.GatewayAdvisor;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.history.CallRecord;
import dev.agentgateway.core.provider.ToolSpec;
import dev.agentgateway.core.tools.AccessPolicy;
import dev.agentgateway.core.tools.ToolAccessController;
import dev.agentgateway.core.tools.ToolAccessDeniedException;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tools a ChatClient sends with its prompt are part of the governed call: counted, checked, recorded. */
class GatewayAdvisorToolsTest {

    record City(String city) {
    }

    /**
     * Answers in text, never asking for a tool, so Spring AI runs none. Its options take tools, as
     * every tool-calling ChatModel's do (ChatClient drops the tools of a model whose options cannot).
     */
    static final class TextModel implements ChatModel {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ChatOptions getOptions() {
            return ToolCallingChatOptions.builder().model("gpt-4o-mini").build();
        }

        @Override
        public ChatResponse call(Prompt prompt) {
            calls.incrementAndGet();
            return new ChatResponse(List.of(new Generation(new AssistantMessage("sunny"))));
        }
    }

    private final TextModel model = new TextModel();
    private final ToolCallback weather = FunctionToolCallback.builder("get_weather", (City city) -> "sunny in " + city.city())
            .description("The weather in a city").inputType(City.class).build();

    private ChatClient client(Gateway gateway) {
        return ChatClient.builder(model).defaultAdvisors(GatewayAdvisor.builder(gateway).agentId("assistant").build()).build();
    }

    @Test
    void theToolsAChatClientSendsAreInTheGovernedRequestWithTheirSchemas() {
        Gateway gateway = Gateway.builder().build();

        client(gateway).prompt().user("weather in Oslo?").toolCallbacks(weather).call().content();

        CallRecord record = gateway.getCallHistory("assistant", null).get(0);
        assertThat(record.request().tools()).singleElement().satisfies(tool -> {
            assertThat(tool.name()).isEqualTo("get_weather");
            assertThat(tool.description()).isEqualTo("The weather in a city");
            assertThat(tool.parameters()).containsKey("properties");
            assertThat(tool.parameters().get("properties")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("city");
        });
    }

    @Test
    void aToolTheAccessRulesDenyIsRefusedBeforeTheModel() {
        Gateway gateway = Gateway.builder().toolAccess(new ToolAccessController(AccessPolicy.DENY)).build();

        assertThatThrownBy(() -> client(gateway).prompt().user("weather in Oslo?").toolCallbacks(weather).call().content())
                .isInstanceOf(ToolAccessDeniedException.class)
                .hasMessageContaining("get_weather");
        assertThat(model.calls).hasValue(0);
    }

    @Test
    void aPromptWithoutToolsOffersNone() {
        Gateway gateway = Gateway.builder().toolAccess(new ToolAccessController(AccessPolicy.DENY)).build();

        assertThat(client(gateway).prompt().user("hello").call().content()).isEqualTo("sunny");
        assertThat(gateway.getCallHistory("assistant", null).get(0).request().tools()).extracting(ToolSpec::name).isEmpty();
    }
}
