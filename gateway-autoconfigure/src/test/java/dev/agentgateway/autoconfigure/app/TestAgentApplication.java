package dev.agentgateway.autoconfigure.app;

import dev.agentgateway.core.provider.LlmClient;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small application using the starter the way a user would. */
@SpringBootApplication
public class TestAgentApplication {

    private static final Pattern TWO_NUMBERS = Pattern.compile("(\\d+)\\D+(\\d+)");

    /** An offline model: asks for the add tool, then reports its result. */
    @Bean
    LlmClient scripted() {
        return ScriptedLlmClient.builder()
                .when(ScriptedLlmClient.lastMessageIsToolResult("add"),
                        request -> ScriptedTurn.text("The sum is " + request.lastMessage().content()))
                .when(ScriptedLlmClient.lastMessageIsToolResult("read_secret"), ScriptedTurn.text("I read it"))
                .when(ScriptedLlmClient.userMessageContains("secret"), ScriptedTurn.toolCall("read_secret", "{}"))
                .when(ScriptedLlmClient.userMessageContains("add"), request -> {
                    Matcher numbers = TWO_NUMBERS.matcher(request.lastUserMessage());
                    return numbers.find()
                            ? ScriptedTurn.toolCall("add", "{\"a\":" + numbers.group(1) + ",\"b\":" + numbers.group(2) + "}")
                            : ScriptedTurn.text("Which numbers?");
                })
                .when(ScriptedLlmClient.systemPromptContains("JSON schema"), request -> request.lastUserMessage().contains("garbage")
                        ? ScriptedTurn.text("Sorry, I cannot do JSON today")
                        : ScriptedTurn.text("Here you are: ```json\n{\"title\":\"Weekly report\",\"words\":3}\n```"))
                .otherwise(ScriptedTurn.text("ok"))
                .build();
    }
}
