package dev.agentgateway.sample.desk;

import dev.agentgateway.core.provider.LlmRequest;
import dev.agentgateway.core.provider.MockStream;
import dev.agentgateway.core.provider.ScriptedLlmClient;
import dev.agentgateway.core.provider.ScriptedTurn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.agentgateway.core.provider.ScriptedLlmClient.lastMessageIsToolResult;
import static dev.agentgateway.core.provider.ScriptedLlmClient.systemPromptContains;

/**
 * The offline model of the desk: a script that makes each agent really use its tools, so a run
 * without an API key shows the whole governed path (tool calls, costs, limits, history).
 */
final class OfflineModel {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern TOPIC = Pattern.compile("Topic: (.*)");
    private static final Pattern SUM = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\D+?(-?\\d+(?:\\.\\d+)?)");

    /** Where the slow model's pieces are sent from, as a network client's threads would: not the request's thread. */
    private static final Executor RAMBLING = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "offline-rambling");
        thread.setDaemon(true);
        return thread;
    });

    private OfflineModel() {
    }

    static ScriptedLlmClient script() {
        return ScriptedLlmClient.builder()
                // researcher: search, (calculate), save a note, summarise
                .when(both(systemPromptContains("researcher"), lastMessageIsToolResult("save_note")),
                        request -> ScriptedTurn.text("Research done: " + request.lastMessage().content() + " on '" + topic(request) + "'."))
                .when(both(systemPromptContains("researcher"), lastMessageIsToolResult("calculator")),
                        request -> toolCall("save_note", Map.of("topic", topic(request),
                                "content", "Computed result: " + request.lastMessage().content())))
                .when(both(systemPromptContains("researcher"), lastMessageIsToolResult("search_documents")),
                        OfflineModel::afterSearch)
                .when(systemPromptContains("researcher"),
                        request -> toolCall("search_documents", Map.of("query", task(request))))
                // writer: read the notes, answer from them
                .when(both(systemPromptContains("writer"), lastMessageIsToolResult("read_notes")),
                        request -> ScriptedTurn.text("Answer to \"" + task(request) + "\": " + notesText(request)))
                .when(systemPromptContains("writer"), request -> toolCall("read_notes", Map.of("topic", topic(request))))
                // looper: the same search, forever
                .when(systemPromptContains("looper"), request -> toolCall("search_documents", Map.of("query", "the same thing")))
                // intern: goes straight for the dangerous tool
                .when(both(systemPromptContains("intern"), lastMessageIsToolResult("delete_notes")), ScriptedTurn.text("Tidied up."))
                .when(systemPromptContains("intern"), request -> toolCall("delete_notes", Map.of()))
                // publisher: publishes the request as a note (an editor approves it first), then says what came back
                .when(both(systemPromptContains("publisher"), lastMessageIsToolResult("publish_note")),
                        request -> ScriptedTurn.text("Publisher: " + request.lastMessage().content()))
                .when(systemPromptContains("publisher"),
                        request -> toolCall("publish_note", Map.of("topic", "announcement", "content", task(request))))
                .otherwise(ScriptedTurn.text("I am the offline model of the research desk."))
                .build();
    }

    /** Talks slowly and at length: about 450 pieces, one every 200 ms. */
    static ScriptedLlmClient rambling() {
        StringBuilder ramble = new StringBuilder();
        for (int point = 1; point <= 60; point++) { // never the same sentence twice: not a repetition, just long
            ramble.append("Before the point, aside number ").append(point).append(" of many. ");
        }
        return ScriptedLlmClient.builder().otherwise(ScriptedTurn.text(ramble.toString())).build()
                .streaming(MockStream.DEFAULT.chunksOf(6).withChunkDelay(Duration.ofMillis(200)).signalledOn(RAMBLING));
    }

    private static ScriptedTurn afterSearch(LlmRequest request) {
        Matcher numbers = SUM.matcher(task(request));
        if (numbers.find() && task(request).matches("(?is).*\\b(add|sum|plus|total)\\b.*")) {
            return toolCall("calculator", Map.of("operation", "add",
                    "left", new java.math.BigDecimal(numbers.group(1)), "right", new java.math.BigDecimal(numbers.group(2))));
        }
        JsonNode hits = JSON.readTree(request.lastMessage().content());
        String finding = hits.isArray() && !hits.isEmpty()
                ? hits.get(0).get("title").asString() + ": " + hits.get(0).get("excerpt").asString()
                : "The corpus has nothing on this.";
        return toolCall("save_note", Map.of("topic", topic(request), "content", finding));
    }

    private static String notesText(LlmRequest request) {
        JsonNode notes = JSON.readTree(request.lastMessage().content());
        if (!notes.isArray() || notes.isEmpty()) {
            return "the notes are empty, so I cannot answer.";
        }
        StringBuilder text = new StringBuilder();
        notes.forEach(note -> text.append(text.isEmpty() ? "" : " ").append(note.asString()));
        return text.toString();
    }

    private static String topic(LlmRequest request) {
        Matcher matcher = TOPIC.matcher(firstUserMessage(request));
        return matcher.find() ? matcher.group(1).strip() : "general";
    }

    private static String task(LlmRequest request) {
        String message = firstUserMessage(request);
        int at = message.indexOf("Task: ");
        return at >= 0 ? message.substring(at + 6).strip() : message.strip();
    }

    private static String firstUserMessage(LlmRequest request) {
        return request.messages().stream().filter(m -> m.role() == dev.agentgateway.core.provider.LlmMessage.Role.USER)
                .map(m -> m.content() == null ? "" : m.content()).findFirst().orElse("");
    }

    private static ScriptedTurn toolCall(String tool, Map<String, ?> arguments) {
        return ScriptedTurn.toolCall(tool, JSON.writeValueAsString(new LinkedHashMap<>(arguments)));
    }

    private static java.util.function.Predicate<LlmRequest> both(java.util.function.Predicate<LlmRequest> a,
                                                                 java.util.function.Predicate<LlmRequest> b) {
        return a.and(b);
    }
}
