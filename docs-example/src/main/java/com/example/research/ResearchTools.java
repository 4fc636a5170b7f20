// tag::tools[]
package com.example.research;

import dev.agentgateway.spring.tool.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

@Component
public class ResearchTools {

    private final List<String> notes = new CopyOnWriteArrayList<>();

    @Tool(name = "search_documents", description = "Searches the documents")
    public List<String> searchDocuments(@ToolParam(description = "words to look for") String query) {
        return List.of("Budgets are reserved before each call, then settled to the real cost.");
    }

    @Tool(name = "save_note", description = "Saves a research note")
    public String saveNote(@ToolParam(description = "the note") String note) {
        notes.add(note);
        return "saved note " + notes.size();
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }
}
// end::tools[]
